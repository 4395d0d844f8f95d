package io.vmsup.supervisor.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each QEMU in its own cgroup on this host's hierarchy (v1 here): the spec's limits written, QEMU a member from its
 * start, the kill switch, OOM evidence, cleanup. Real QEMUs ({@code -machine none}); the OOM is real: QEMU
 * preallocates a RAM backend past {@code memoryMax} and the kernel kills it.
 */
class CgroupIT {

  private static final Duration LONG = Duration.ofSeconds(60);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  private static JsonObject spec(String name, JsonObject resources) {
    return Fixture.spec(name).put("resources", resources);
  }

  private static String memoryCgroup(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream()
        .filter(l -> l.split(":", 3)[1].equals("memory") || l.startsWith("0::")).findFirst().orElseThrow()
        .split(":", 3)[2];
  }

  @Test
  void qemuRunsInItsOwnCgroupWithTheSpecsLimitsAndLeavesNothingBehind() throws Exception {
    Fixture f = supervisors.start();
    Cgroups cg = f.supervisor.cgroups();
    assertThat(cg.mode()).as(cg.describe()).isEqualTo(CgroupMode.V1);
    f.request(Addresses.CREATE, spec("lim", new JsonObject().put("memoryMax", "200M").put("pidsMax", 64)
        .put("cpuMax", 0.5)));
    long pid = f.request(Addresses.START, Fixture.name("lim")).getLong("pid");

    VmCgroup group = cg.current("lim").orElseThrow();
    assertThat(memoryCgroup(pid)).matches(".*/vmsup-[0-9a-f]{12}/lim");
    assertThat(group.pids()).containsExactly(pid);
    Path mem = group.dirs().stream().filter(d -> Files.exists(d.resolve("memory.limit_in_bytes"))).findFirst()
        .orElseThrow();
    assertThat(Files.readString(mem.resolve("memory.limit_in_bytes")).trim()).isEqualTo(String.valueOf(200L << 20));
    Path pids = group.dirs().stream().filter(d -> Files.exists(d.resolve("pids.max"))).findFirst().orElseThrow();
    assertThat(Files.readString(pids.resolve("pids.max")).trim()).isEqualTo("64");
    Path cpu = group.dirs().stream().filter(d -> Files.exists(d.resolve("cpu.cfs_quota_us"))).findFirst()
        .orElseThrow();
    assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("50000");
    CgroupUsage u = group.usage();
    assertThat(u.memoryBytes()).isPresent();
    assertThat(u.memoryBytes().getAsLong()).isPositive();
    assertThat(u.memoryLimit()).hasValue(200L << 20);
    assertThat(u.tasks().getAsLong()).isGreaterThan(1); // QEMU's threads are counted, not only its main one
    assertThat(u.oomKills()).hasValue(0);

    f.request(Addresses.KILL, Fixture.name("lim"));
    Await.until("the cgroup removed and forgotten", () -> group.dirs().stream().noneMatch(Files::isDirectory)
        && cg.current("lim").isEmpty(), LONG);
  }

  @Test
  void aQemuThatAllocatesPastMemoryMaxIsOomKilledAndCrashedWithReasonOom() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, spec("hog", new JsonObject().put("memoryMax", "64M")));
    f.request(Addresses.START, Fixture.name("hog"));
    // a real allocation inside QEMU after it runs: a 256 MiB RAM backend, every page touched (prealloc)
    f.vertx.eventBus().request(Addresses.QMP, Fixture.name("hog").put("execute", "object-add")
        .put("arguments", new JsonObject().put("qom-type", "memory-backend-ram").put("id", "m0")
            .put("size", 256L << 20).put("prealloc", true)));
    JsonObject crashed = f.awaitState("hog", "CRASHED", LONG);
    assertThat(crashed.getString("reason")).isEqualTo("oom");
  }

  @Test
  void aKillByHandIsNeverOom() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, spec("victim", new JsonObject().put("memoryMax", "64M")));
    long pid = f.request(Addresses.START, Fixture.name("victim")).getLong("pid");
    Fixture.signal(pid, "KILL");
    JsonObject crashed = f.awaitState("victim", "CRASHED", LONG);
    assertThat(crashed.getString("reason")).isEqualTo("unexpected-exit");
  }

  @Test
  void limitsADaemonCannotEnforceRefuseTheStartClearly() throws Exception {
    Fixture f = supervisors.start(supervisors.options().toBuilder().cgroups(CgroupMode.OFF).build());
    f.request(Addresses.CREATE, spec("nolim", new JsonObject().put("memoryMax", "64M")));
    ReplyException e = f.failure(Addresses.START, Fixture.name("nolim"));
    assertThat(e.getMessage()).contains("resources: this daemon cannot enforce limits", "cgroups=off");
    f.request(Addresses.CREATE, Fixture.spec("plain"));
    long pid = f.request(Addresses.START, Fixture.name("plain")).getLong("pid");
    assertThat(memoryCgroup(pid)).doesNotContain("vmsup-");
    assertThat(List.of(f.supervisor.cgroups().mode())).containsExactly(CgroupMode.OFF);
  }
}

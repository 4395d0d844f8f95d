package io.vmsup.supervisor.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmsup.config.Resources;
import io.vmsup.config.Size;
import io.vmsup.qmp.testing.Await;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 backend on this host's real unified hierarchy ({@code /sys/fs/cgroup/unified}, no controllers delegated):
 * the join wrapper puts a real process into the VM's v2 cgroup before it execs, the freezer freezes it, the kill
 * switch ({@code cgroup.kill}) kills every task, CPU time is read from {@code cpu.stat}, and the cgroup is removed.
 * Limits cannot be proven here: they are refused by name.
 */
class V2UnifiedIT {

  @TempDir
  Path state;
  private Cgroups cg;

  @AfterEach
  void cleanUp() {
    Cgroups.removeLeftovers(state);
  }

  @Test
  void joinFreezeKillAndRemoveOnTheRealUnifiedHierarchy() throws Exception {
    cg = Cgroups.detect(CgroupMode.V2, state);
    assertThat(cg.mode()).isEqualTo(CgroupMode.V2);
    VmCgroup g = cg.forVm("v2vm").orElseThrow();
    g.create(Resources.none());
    List<String> cmd = new ArrayList<>(g.joinPrefix());
    // a child that forks a grandchild: the kill switch must reach both
    cmd.addAll(List.of("/bin/sh", "-c", "sleep 300 & exec sleep 301"));
    Process p = new ProcessBuilder(cmd).redirectOutput(new File("/dev/null")).start();
    Await.until("two tasks in the cgroup", () -> g.pids().size() == 2, Duration.ofSeconds(30));
    assertThat(g.pids()).contains(p.pid());
    String member = Files.readAllLines(Path.of("/proc/" + p.pid() + "/cgroup")).stream()
        .filter(l -> l.startsWith("0::")).findFirst().orElseThrow();
    assertThat(member).endsWith("/v2vm").contains("/vmsup-");

    assertThat(g.freeze(true)).isTrue();
    Path dir = g.dirs().get(0);
    Await.until("frozen", () -> Files.readString(dir.resolve("cgroup.events")).contains("frozen 1"),
        Duration.ofSeconds(30));
    assertThat(g.freeze(false)).isTrue();
    assertThat(g.usage().cpuSeconds()).isPresent();

    assertThat(g.killAll()).isEqualTo(2);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    assertThat(g.pids()).isEmpty();
    g.retire();
    assertThat(dir).doesNotExist();
    cg.close();
    assertThat(dir.getParent()).doesNotExist();
  }

  @Test
  void limitsNeedControllersThisHostDoesNotDelegate() throws Exception {
    cg = Cgroups.detect(CgroupMode.V2, state);
    VmCgroup g = cg.forVm("lim").orElseThrow();
    assertThatThrownBy(() -> g.create(new Resources(Optional.empty(), Optional.empty(), OptionalLong.of(10))))
        .hasMessageContaining("resources.pidsMax needs the cgroup v2 pids controller");
    assertThatThrownBy(() -> g.create(new Resources(Optional.empty(), Optional.of(new Size(64L << 20)),
        OptionalLong.empty()))).hasMessageContaining("memory controller");
  }
}

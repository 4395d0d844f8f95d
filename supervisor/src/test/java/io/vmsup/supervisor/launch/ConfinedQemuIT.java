package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * QEMU under a uid of its own ({@code qemuUids}), exec'd through setpriv: the VM's uid owns QEMU from its start (the
 * QMP socket and pid file QEMU creates are that uid's), the strict seccomp filter is on, one VM's QEMU cannot open
 * another VM's disk (a real {@code blockdev-add} fails with EACCES), and the grants are taken back after QEMU exits.
 */
class ConfinedQemuIT {

  private static final UidRange RANGE = new UidRange(2000001000, 2000001099);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  private JsonObject spec(String name, Path disk) {
    return new JsonObject().put("name", name).put("memory", new JsonObject().put("size", "64M"))
        .put("sandbox", new JsonObject())
        .put("devices", new JsonArray().add(new JsonObject().put("kind", "disk").put("id", "d0")
            .put("file", disk.toString())))
        .put("supervision", new JsonObject().put("startPaused", true));
  }

  private Path image(String name) throws Exception {
    Path p = supervisors.dir().resolve("disks").resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[1 << 20]);
    return p;
  }

  private static String status(long pid, String key) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(key + ":"))
        .findFirst().orElseThrow().substring(key.length() + 1).trim();
  }

  private static String acl(Path p) throws Exception {
    Process g = new ProcessBuilder("getfacl", "-n", "-p", p.toString()).redirectErrorStream(true).start();
    String out = new String(g.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    g.waitFor();
    return out;
  }

  /** Waits (polling, bounded by a minute) for a condition that follows from an event we cannot subscribe to. */
  private static void until(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    Await.until("the condition", condition, java.time.Duration.ofMinutes(1));
  }

  @Test
  void eachQemuRunsUnderItsOwnUidAndCannotOpenAnotherVmsDisk() throws Exception {
    Fixture f = supervisors.start(supervisors.options().withQemuUids(RANGE));
    Path diskA = image("a.img");
    Path diskB = image("b.img");
    f.request(Addresses.CREATE, spec("a", diskA));
    f.request(Addresses.CREATE, spec("b", diskB));
    long pidA = f.request(Addresses.START, new JsonObject().put("name", "a")).getLong("pid");
    long pidB = f.request(Addresses.START, new JsonObject().put("name", "b")).getLong("pid");
    int uidA = Integer.parseInt(Files.readString(supervisors.dir().resolve("vms/a/uid")).trim());
    int uidB = Integer.parseInt(Files.readString(supervisors.dir().resolve("vms/b/uid")).trim());

    assertThat(uidA).isNotEqualTo(uidB).isBetween(RANGE.first(), RANGE.last());
    assertThat(uidB).isBetween(RANGE.first(), RANGE.last());
    assertThat(status(pidA, "Uid").split("\\s+")).containsOnly(String.valueOf(uidA));
    assertThat(status(pidA, "Gid").split("\\s+")).containsOnly(String.valueOf(uidA));
    assertThat(status(pidA, "Groups")).isEmpty();
    assertThat(status(pidA, "Seccomp")).isEqualTo("2");
    assertThat(status(pidA, "NoNewPrivs")).isEqualTo("1");
    assertThat(status(pidB, "Uid").split("\\s+")).containsOnly(String.valueOf(uidB));
    // QEMU created these itself, first thing: it never ran as root
    assertThat(Files.getAttribute(supervisors.dir().resolve("vms/a/qmp.sock"), "unix:uid")).isEqualTo(uidA);
    assertThat(Files.getAttribute(supervisors.dir().resolve("vms/a/qemu.pid"), "unix:uid")).isEqualTo(uidA);
    assertThat(new String(Files.readAllBytes(Path.of("/proc/" + pidA + "/cmdline")), StandardCharsets.UTF_8))
        .startsWith("qemu-system-x86_64\0").doesNotContain("setpriv");

    ReplyException stolen = f.failure(Addresses.QMP, new JsonObject().put("name", "a")
        .put("execute", "blockdev-add").put("arguments", new JsonObject().put("node-name", "stolen")
            .put("driver", "file").put("filename", diskB.toString())));
    assertThat(stolen.getMessage()).contains("Permission denied");
    assertThat(acl(diskA)).contains("user:" + uidA + ":rw-").doesNotContain("user:" + uidB);
    assertThat(acl(Path.of("/dev/kvm"))).contains("user:" + uidA + ":rw-");

    f.request(Addresses.KILL, new JsonObject().put("name", "a"));
    until(() -> !acl(diskA).contains("user:" + uidA));
    assertThat(acl(Path.of("/dev/kvm"))).doesNotContain("user:" + uidA).contains("user:" + uidB);
    f.request(Addresses.KILL, new JsonObject().put("name", "b"));
    until(() -> !acl(Path.of("/dev/kvm")).contains("user:" + uidB));
  }

  @Test
  void uidsAreKeptPerVmAndParsedStrictly() throws Exception {
    Files.createDirectories(supervisors.dir().resolve("vms/x"));
    Files.createDirectories(supervisors.dir().resolve("vms/y"));
    int x = UidPool.uidFor(supervisors.dir().resolve("vms"), "x", RANGE);
    int y = UidPool.uidFor(supervisors.dir().resolve("vms"), "y", RANGE);
    assertThat(List.of(x, y)).containsExactly(RANGE.first(), RANGE.first() + 1);
    assertThat(UidPool.uidFor(supervisors.dir().resolve("vms"), "x", RANGE)).isEqualTo(x);
    assertThat(UidRange.parse("off")).isNull();
    assertThat(UidRange.parse(UidRange.DEFAULT).size()).isEqualTo(65536);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UidRange.parse("0-10")).hasMessageContaining("1000");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UidRange.parse("abc")).hasMessageContaining("FIRST-LAST");
  }
}

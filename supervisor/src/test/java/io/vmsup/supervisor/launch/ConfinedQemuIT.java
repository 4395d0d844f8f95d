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
    // a directory only root may search (so the VMs' group gets search on it), images of the usual mode 0644
    Files.createDirectories(p.getParent());
    Files.setPosixFilePermissions(p.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
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
    int gid = UidPool.groupFor(RANGE);
    assertThat(status(pidA, "Groups")).as("the shared traversal group only").isEqualTo(String.valueOf(gid));
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
    assertThat(acl(Path.of("/dev/kvm"))).contains("group:" + gid + ":rw-").doesNotContain("user:" + uidA)
        .doesNotContain("user:" + uidB);
    assertIsolated(uidA, gid, "a", "b", diskA, diskB);
    assertIsolated(uidB, gid, "b", "a", diskB, diskA);

    f.request(Addresses.KILL, new JsonObject().put("name", "a"));
    until(() -> !acl(diskA).contains("user:" + uidA));
    assertThat(acl(supervisors.dir().resolve("vms/a"))).doesNotContain("user:" + uidA);
    assertThat(acl(diskB)).contains("user:" + uidB);
    f.request(Addresses.KILL, new JsonObject().put("name", "b"));
    until(() -> !acl(diskB).contains("user:" + uidB));
    assertThat(acl(supervisors.dir().resolve("vms"))).contains("group:" + gid + ":--x")
        .doesNotContain("user:" + uidA).doesNotContain("user:" + uidB);
  }

  /** Runs {@code script} with a VM's credentials exactly as its QEMU has them; its exit code and output. */
  private static String[] as(int uid, int gid, String script) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--groups=" + gid,
        "--no-new-privs", "/bin/sh", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new String[] {String.valueOf(p.waitFor()), out};
  }

  /**
   * A process with VM {@code own}'s uid and the traversal group reads its own directory and disk (the probe can
   * succeed), but can neither read the other VM's directory, log or disk nor list the directories it may only search.
   */
  private void assertIsolated(int uid, int gid, String own, String other, Path ownDisk, Path otherDisk)
      throws Exception {
    Path vms = supervisors.dir().resolve("vms");
    String[] mine = as(uid, gid, "ls " + vms.resolve(own) + " && head -c1 " + ownDisk + " >/dev/null");
    assertThat(mine[0]).as(mine[1]).isEqualTo("0");
    for (String probe : List.of("ls " + vms.resolve(other), "cat " + vms.resolve(other).resolve("qemu.log"),
        "cat " + vms.resolve(other).resolve("spec.json"), "head -c1 " + otherDisk, "ls " + vms,
        "ls " + supervisors.dir(), "ls " + otherDisk.getParent())) {
      String[] r = as(uid, gid, probe);
      assertThat(r[0]).as("uid %d: %s -> %s", uid, probe, r[1]).isNotEqualTo("0");
      assertThat(r[1]).as(probe).contains("Permission denied");
    }
  }

  @Test
  void aGrantThatFailsHalfWayLeavesNoEntryOfTheUidAndSaysWhy() throws Exception {
    Fixture f = supervisors.start(supervisors.options().withQemuUids(RANGE));
    Path ok = image("ok.img");
    Path stuck = image("stuck.img");
    f.request(Addresses.CREATE, spec("i", ok).put("devices", new JsonArray()
        .add(new JsonObject().put("kind", "disk").put("id", "d0").put("file", ok.toString()))
        .add(new JsonObject().put("kind", "disk").put("id", "d1").put("file", stuck.toString()))));
    // an immutable file: setfacl fails on it after it set the VM directory's and the first disk's entries
    Process chattr = new ProcessBuilder("chattr", "+i", stuck.toString()).redirectErrorStream(true).start();
    String said = new String(chattr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    org.junit.jupiter.api.Assumptions.assumeTrue(chattr.waitFor() == 0, "chattr +i: " + said);
    try {
      ReplyException failed = f.failure(Addresses.START, Fixture.name("i"));
      assertThat(failed.failureCode()).isEqualTo(500);
      assertThat(failed.getMessage()).contains("setfacl").contains(stuck.toString())
          .contains("Operation not permitted");
      int uid = Integer.parseInt(Files.readString(supervisors.dir().resolve("vms/i/uid")).trim());
      assertThat(acl(ok)).doesNotContain("user:" + uid);
      assertThat(acl(supervisors.dir().resolve("vms/i"))).doesNotContain("user:" + uid);
      assertThat(acl(Path.of("/dev/kvm"))).doesNotContain("user:" + uid);
      assertThat(f.request(Addresses.GET, Fixture.name("i")).getString("state")).isEqualTo("FAILED");
    } finally {
      new ProcessBuilder("chattr", "-i", stuck.toString()).start().waitFor();
    }
    // the cause gone, the same VM starts under the same uid
    long pid = f.request(Addresses.START, Fixture.name("i")).getLong("pid");
    assertThat(status(pid, "Uid").split("\\s+")[0]).isEqualTo(Files.readString(
        supervisors.dir().resolve("vms/i/uid")).trim());
  }

  @Test
  void uidsAreKeptPerVmUniqueOnTheHostAndParsedStrictly() throws Exception {
    Path claims = supervisors.dir().resolve("claims");
    Path vms = Files.createDirectories(supervisors.dir().resolve("one/vms"));
    Path otherDaemon = Files.createDirectories(supervisors.dir().resolve("two/vms"));
    Files.createDirectories(vms.resolve("x"));
    Files.createDirectories(vms.resolve("y"));
    Files.createDirectories(otherDaemon.resolve("x"));
    int x = UidPool.uidFor(vms, "x", RANGE, claims);
    int y = UidPool.uidFor(vms, "y", RANGE, claims);
    // another daemon's VM of the same name, same range: a uid of its own, never one of the first daemon's
    int other = UidPool.uidFor(otherDaemon, "x", RANGE, claims);
    assertThat(List.of(x, y, other)).doesNotHaveDuplicates().allMatch(u -> u >= RANGE.first() && u <= RANGE.last());
    assertThat(UidPool.uidFor(vms, "x", RANGE, claims)).isEqualTo(x);
    // a VM deleted with its directory leaves a stale claim: the next VM takes the uid over
    SupervisorExtension.deleteTree(vms.resolve("x"));
    Files.createDirectories(vms.resolve("z"));
    assertThat(UidPool.uidFor(vms, "z", RANGE, claims)).isEqualTo(x);
    assertThat(UidRange.parse("off")).isNull();
    assertThat(UidRange.parse(UidRange.DEFAULT).size()).isEqualTo(65536);
    assertThat(UidRange.parse("auto")).isEqualTo(UidRange.isRoot() ? UidRange.parse(UidRange.DEFAULT) : null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UidRange.parse("0-10")).hasMessageContaining("1000");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UidRange.parse("abc")).hasMessageContaining("FIRST-LAST");
  }

  @Test
  void asRootEveryQemuGetsAUidOfItsOwnByDefaultAndCannotTouchTheDaemonsFiles() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(UidRange.isRoot(), "the default needs root");
    Fixture f = supervisors.start();
    UidRange range = UidRange.parse(UidRange.DEFAULT);
    f.request(Addresses.CREATE, Fixture.spec("m"));
    long pid = f.request(Addresses.START, Fixture.name("m")).getLong("pid");
    int uid = Integer.parseInt(status(pid, "Uid").split("\\s+")[0]);
    assertThat(uid).isBetween(range.first(), range.last());
    assertThat(status(pid, "Uid").split("\\s+")).containsOnly(String.valueOf(uid));
    assertThat(status(pid, "Seccomp")).isEqualTo("2");
    Path vmDir = supervisors.dir().resolve("vms/m");
    assertThat((Integer) Files.getAttribute(vmDir, "unix:mode") & 01000).as("sticky VM directory").isNotZero();
    // what a compromised QEMU could try in its own directory: replace the daemon's records
    Process rm = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
        "/bin/sh", "-c", "rm -f spec.json uid; mv runtime.json x; echo hacked >> desired").directory(vmDir.toFile())
        .redirectErrorStream(true).start();
    String said = new String(rm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(rm.waitFor()).as(said).isNotZero();
    assertThat(vmDir.resolve("spec.json")).exists();
    assertThat(vmDir.resolve("uid")).exists();
    assertThat(vmDir.resolve("runtime.json")).exists();
    assertThat(Files.readString(vmDir.resolve("desired"))).doesNotContain("hacked");
  }

  @Test
  void aDiskHotPluggedIntoAConfinedQemuIsGrantedToItsUidAndTakenBackAtDetach() throws Exception {
    Fixture f = supervisors.start(supervisors.options().withQemuUids(RANGE));
    Path disk = image("hot.img");
    f.request(Addresses.CREATE, spec("h", image("boot.img")).put("devices", new JsonArray()
        .add(new JsonObject().put("kind", "scsi-controller").put("id", "scsi0"))));
    f.request(Addresses.START, Fixture.name("h"));
    int uid = Integer.parseInt(Files.readString(supervisors.dir().resolve("vms/h/uid")).trim());
    assertThat(acl(disk)).doesNotContain("user:" + uid);

    JsonObject r = f.request(Addresses.ATTACH, Fixture.name("h").put("device", new JsonObject().put("kind", "disk")
        .put("id", "hot").put("file", disk.toString()).put("model", "scsi-hd").put("bus", "scsi0")));
    assertThat(r.getBoolean("live")).isTrue();
    assertThat(acl(disk)).contains("user:" + uid + ":rw-");
    f.request(Addresses.DETACH, Fixture.name("h").put("id", "hot"));
    until(() -> !acl(disk).contains("user:" + uid));
  }

}

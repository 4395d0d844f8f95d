package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.config.HostPath;
import io.vmsup.supervisor.SupervisorExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared traversal group (needs root, as {@code qemuUids} does): however many VM uids are confined, the directories
 * above their files and {@code /dev/kvm} carry one entry for the group and none per uid (one per uid filled ext4's ACL
 * space near 490 VMs); per-uid entries an older vmsup left there are removed, but not those a QEMU of that older vmsup
 * still runs on; the group's id is never handed to a VM.
 */
class TraversalGroupIT {

  private static final UidRange RANGE = new UidRange(2000003000, 2000003199);
  private static final int VMS = 48;
  private static final Path KVM = Path.of("/dev/kvm");

  private Path dir;
  /** A kernel every local user may read (0644, every directory above it searchable): shared by all VMs. */
  private Path pub;
  private Path kernel;
  private final List<Confinement> confined = new ArrayList<>();
  private Process legacyQemu;

  @BeforeEach
  void tree() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(UidRange.isRoot(), "uids and ACLs need root");
    dir = Files.createTempDirectory("vmsup-traverse-");
    Files.createDirectories(dir.resolve("state/vms"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Files.createDirectories(dir.resolve("disks"));
    for (String d : List.of("state", "state/vms", "disks")) {
      Files.setPosixFilePermissions(dir.resolve(d), PosixFilePermissions.fromString("rwx------"));
    }
    pub = Files.createTempDirectory("vmsup-kernels-");
    Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rwxr-xr-x"));
    kernel = Files.write(pub.resolve("vmlinuz"), new byte[512]);
    Files.setPosixFilePermissions(kernel, PosixFilePermissions.fromString("rw-r--r--"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (legacyQemu != null) {
      legacyQemu.destroyForcibly().waitFor();
    }
    for (Confinement c : confined) {
      c.release();
    }
    if (dir != null) {
      SupervisorExtension.deleteTree(dir);
    }
    if (pub != null) {
      SupervisorExtension.deleteTree(pub);
    }
  }

  private Confinement confine(int uid, int gid, String vm) throws Exception {
    Path vmDir = Files.createDirectories(dir.resolve("state/vms").resolve(vm));
    Files.setPosixFilePermissions(vmDir, PosixFilePermissions.fromString("rwx------"));
    Path disk = dir.resolve("disks").resolve(vm + ".img");
    Files.write(disk, new byte[512]);
    Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rw-------"));
    Confinement c = Confinement.plan(uid, gid, RANGE, vmDir, List.of(new HostPath("devices[0].file",
        disk.toString(), HostPath.Access.WRITE), new HostPath("kernel.path", kernel.toString(),
        HostPath.Access.READ)), null);
    confined.add(c);
    c.apply();
    return c;
  }

  static List<String> entries(Path p) throws Exception {
    return Acl.read(p).stream().filter(e -> e.matches("(user|group):[0-9]+:.*")).collect(Collectors.toList());
  }

  private static long perUid(Path p) throws Exception {
    return entries(p).stream().filter(e -> e.matches("user:(\\d+):.*"))
        .map(e -> Long.parseLong(e.split(":")[1])).filter(u -> u >= RANGE.first() && u <= RANGE.last()).count();
  }

  @Test
  void theAncestorsCarryOneGroupEntryHoweverManyUidsAreConfined() throws Exception {
    int gid = UidPool.groupFor(RANGE, dir.resolve("claims"));
    assertThat(gid).isEqualTo(RANGE.last());
    List<Path> above = List.of(dir, dir.resolve("state"), dir.resolve("state/vms"), dir.resolve("disks"));
    Confinement first = confine(RANGE.first(), gid, "vm0");
    assertThat(first.shared()).containsEntry(dir.resolve("state/vms"), "--x").containsEntry(dir.resolve("disks"),
        "--x").doesNotContainKey(dir.resolve("state/vms/vm0"));
    assertThat(first.prefix()).contains("--groups=" + gid).doesNotContain("--clear-groups");
    Map<Path, List<String>> after1 = new java.util.LinkedHashMap<>();
    for (Path p : above) {
      after1.put(p, entries(p));
      assertThat(after1.get(p)).contains("group:" + gid + ":--x");
    }
    for (int i = 1; i < VMS; i++) {
      confine(RANGE.first() + i, gid, "vm" + i);
    }
    for (Path p : above) {
      assertThat(entries(p)).as("ACL of %s after %d uids", p, VMS).isEqualTo(after1.get(p));
      assertThat(perUid(p)).isZero();
    }
    assertThat(perUid(KVM)).isZero();
    assertThat(entries(KVM)).contains("group:" + gid + ":rw-");
    // each VM's own directory and disk: its uid alone, never the group
    Path vm7 = dir.resolve("state/vms/vm7");
    assertThat(entries(vm7)).containsExactly("user:" + (RANGE.first() + 7) + ":rwx");
    // and the group denied on it: another VM (in the group) may not read it even though it may search disks/
    assertThat(entries(dir.resolve("disks/vm7.img"))).containsExactly("user:" + (RANGE.first() + 7) + ":rw-",
        "group:" + gid + ":---");

    // the kernel all of them read: one group entry, no deny, nothing per uid
    assertThat(entries(kernel)).containsExactly("group:" + gid + ":r--");
    assertThat(first.shared()).containsEntry(kernel, "r--");
    assertThat(first.grants()).doesNotContainKey(kernel);

    for (Confinement c : confined) {
      c.release();
    }
    assertThat(entries(vm7)).noneMatch(e -> e.startsWith("user:" + (RANGE.first() + 7)));
    assertThat(entries(dir.resolve("state/vms"))).contains("group:" + gid + ":--x");
  }

  @Test
  void aChmodOfTheStateDirectoriesIsRepairedAtTheNextStartAndByAReassert() throws Exception {
    int gid = UidPool.groupFor(RANGE, dir.resolve("claims"));
    Path vms = dir.resolve("state/vms");
    Confinement a = confine(RANGE.first(), gid, "a");
    // what the state store does to its directories at daemon start: chmod 0700, which sets the ACL mask to nothing
    Files.setPosixFilePermissions(vms, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(dir.resolve("state/vms/a"), PosixFilePermissions.fromString("rwx------"));
    assertThat(Acl.read(vms)).contains("mask::---");
    a.reassert(); // an adopted QEMU's grants, set again
    assertThat(Acl.read(vms)).contains("group:" + gid + ":--x", "mask::--x");
    assertThat(Acl.read(dir.resolve("state/vms/a"))).contains("mask::rwx");
    Files.setPosixFilePermissions(vms, PosixFilePermissions.fromString("rwx------"));
    confine(RANGE.first() + 1, gid, "b"); // the next start
    assertThat(Acl.read(vms)).contains("group:" + gid + ":--x", "mask::--x");
  }

  @Test
  void perUidEntriesOfAnOlderVmsupAreRemovedButARunningOldQemusStayUntilItExits() throws Exception {
    int gid = UidPool.groupFor(RANGE, dir.resolve("claims"));
    Path vms = dir.resolve("state/vms");
    int running = RANGE.first() + 100;
    int gone = RANGE.first() + 101;
    for (int uid : List.of(running, gone)) {
      Acl.modify("u:" + uid + ":--x", List.of(dir, dir.resolve("state"), vms));
    }
    Acl.modify("u:" + (RANGE.first() + 102) + ":rwx", List.of(vms)); // not a search entry: not ours to remove
    // a QEMU an older vmsup started: its uid, no supplementary group
    legacyQemu = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + running, "--regid=" + running,
        "--clear-groups", "/bin/sleep", "600").start();
    waitForUid(legacyQemu.pid(), running);

    confine(RANGE.first(), gid, "new");
    assertThat(entries(vms)).contains("user:" + running + ":--x", "group:" + gid + ":--x",
        "user:" + (RANGE.first() + 102) + ":rwx").noneMatch(e -> e.startsWith("user:" + gone + ":"));
    assertThat(entries(dir)).contains("user:" + running + ":--x").noneMatch(e -> e.startsWith("user:" + gone + ":"));

    // the old QEMU exits: its adopted grants (marked legacy) are released, search entries above its files included
    legacyQemu.destroyForcibly().waitFor();
    Path oldDir = Files.createDirectories(vms.resolve("old"));
    Confinement old = Confinement.plan(running, gid, RANGE, oldDir, List.of(), null);
    old.legacy();
    old.release();
    assertThat(entries(vms)).noneMatch(e -> e.startsWith("user:" + running + ":"));
    assertThat(entries(dir)).noneMatch(e -> e.startsWith("user:" + running + ":"));
  }

  @Test
  void theGroupsIdIsClaimedOnTheHostAndNeverGivenToAVm() throws Exception {
    Path claims = dir.resolve("claims");
    UidRange small = new UidRange(2000003300, 2000003302);
    Path vmsDir = dir.resolve("state/vms");
    for (String vm : List.of("a", "b")) {
      Files.createDirectories(vmsDir.resolve(vm));
    }
    // an older vmsup gave the range's last id to a VM: the group takes the next free one down, the VM keeps its uid
    Files.writeString(vmsDir.resolve("b/uid"), small.last() + "\n");
    assertThat(UidPool.uidFor(vmsDir, "b", small, claims)).isEqualTo(small.last());
    int gid = UidPool.groupFor(small, claims);
    assertThat(gid).isEqualTo(small.last() - 1);
    assertThat(Files.readString(claims.resolve(Integer.toString(gid)), StandardCharsets.UTF_8).trim())
        .isEqualTo(UidPool.GROUP);
    assertThat(UidPool.uidFor(vmsDir, "a", small, claims)).isEqualTo(small.first());
    Files.createDirectories(vmsDir.resolve("c"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UidPool.uidFor(vmsDir, "c", small, claims))
        .hasMessageContaining("every uid");
  }

  /** Waits for a process to run as a uid (setpriv has exec'd). */
  private static void waitForUid(long pid, int uid) throws Exception {
    io.vmsup.qmp.testing.Await.until("pid " + pid + " runs as " + uid, () -> Files.readAllLines(
        Path.of("/proc/" + pid + "/status")).stream().anyMatch(l -> l.startsWith("Uid:\t" + uid + "\t")),
        java.time.Duration.ofSeconds(30));
  }
}

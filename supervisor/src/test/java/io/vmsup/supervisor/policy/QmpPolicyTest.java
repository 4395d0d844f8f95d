package io.vmsup.supervisor.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.PathRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pass-through deny-list, command by command, as an attacker holding the token would try it. */
class QmpPolicyTest {

  @TempDir
  Path root;
  private QmpPolicy restricted;
  private QmpPolicy unrestricted;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(root.resolve("vms"));
    PathRoots roots = new PathRoots(List.of(root), List.of(root.resolve("vms")));
    restricted = QmpPolicy.create(PassthroughMode.RESTRICTED, roots);
    unrestricted = QmpPolicy.create(PassthroughMode.UNRESTRICTED, roots);
  }

  // every command of these tests is also judged without the file system: that verdict is the same, or none
  private Verdict judge(String command, String args) {
    Verdict full = restricted.judge(command, new JsonObject(args));
    restricted.judgeWithoutFiles(command, new JsonObject(args))
        .ifPresent(quick -> assertThat(quick).as("quick %s %s", command, args).isEqualTo(full));
    return full;
  }

  private String denied(String command, String args) {
    Verdict v = judge(command, args);
    assertThat(v.kind()).as("%s %s", command, args).isEqualTo(Verdict.Kind.DENY);
    return v.reason();
  }

  private void allowed(String command, String args) {
    assertThat(judge(command, args)).as("%s %s", command, args).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void hmpAndDescriptorsAreRefusedWhateverTheArguments() {
    assertThat(denied("human-monitor-command", "{\"command-line\": \"info status\"}")).startsWith("HMP runs any");
    denied("getfd", "{\"fdname\": \"x\"}");
    denied("add-fd", "{}");
    denied("human_monitor_command", "{}");
  }

  @Test
  void migrationAndDumpsToHostCommandsOrFilesAreRefused() {
    assertThat(denied("migrate", "{\"uri\": \"exec:touch /tmp/pwned\"}")).contains("runs a host command");
    denied("migrate", "{\"uri\": \"  EXEC:id\"}");
    denied("migrate-incoming", "{\"uri\": \"fd:mig\"}");
    assertThat(denied("dump-guest-memory", "{\"paging\": false, \"protocol\": \"file:/etc/cron.d/x\"}"))
        .contains("/etc/cron.d/x", "outside the allowed paths");
    denied("migrate", "{\"uri\": \"unix:" + root + "/vms/other/qmp.sock\"}");
    allowed("migrate", "{\"uri\": \"tcp:127.0.0.1:4444\"}");
    allowed("dump-guest-memory", "{\"paging\": false, \"protocol\": \"file:" + root + "/dump.elf\"}");
  }

  @Test
  void chardevsWithHostBackendsOutsideTheRootsAreRefused() {
    assertThat(denied("chardev-add", "{\"id\": \"c\", \"backend\": {\"type\": \"file\", \"data\": {\"out\":"
        + " \"/etc/passwd\"}}}")).startsWith("backend.data.out: \"/etc/passwd\" is outside");
    denied("chardev-add", "{\"id\": \"c\", \"backend\": {\"type\": \"pipe\", \"data\": {\"device\": \"/tmp/p\"}}}");
    denied("chardev-add", "{\"id\": \"c\", \"backend\": {\"type\": \"serial\", \"data\": {\"device\": \"/dev/ttyS0\"}}}");
    denied("chardev-add", "{\"id\": \"c\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\":"
        + " \"unix\", \"data\": {\"path\": \"/run/docker.sock\"}}}}}");
    denied("chardev-change", "{\"id\": \"c\", \"backend\": {\"type\": \"stdio\", \"data\": {}}}");
    allowed("chardev-add", "{\"id\": \"c\", \"backend\": {\"type\": \"file\", \"data\": {\"out\": \"" + root
        + "/c.log\"}}}");
    allowed("chardev-add", "{\"id\": \"c\", \"backend\": {\"type\": \"ringbuf\", \"data\": {}}}");
  }

  @Test
  void hostFilesAnywhereInTheArgumentsAreRefused() {
    assertThat(denied("blockdev-add", "{\"node-name\": \"n\", \"driver\": \"raw\", \"file\": {\"driver\": \"file\","
        + " \"filename\": \"/etc/shadow\"}}")).startsWith("filename: \"/etc/shadow\"");
    denied("blockdev-add", "{\"node-name\": \"n\", \"driver\": \"file\", \"filename\": \"relative.img\"}");
    denied("object-add", "{\"qom-type\": \"memory-backend-file\", \"id\": \"m\", \"size\": 1048576, \"mem-path\":"
        + " \"/etc/x\"}");
    denied("object-add", "{\"qom-type\": \"input-linux\", \"id\": \"k\", \"evdev\": \"" + root + "/ev\"}");
    denied("device_add", "{\"driver\": \"e1000e\", \"id\": \"n\", \"romfile\": \"/etc/shadow\"}");
    denied("device_add", "{\"driver\": \"e1000e\", \"id\": \"n\", \"romfile\": \"../../etc/shadow\"}");
    denied("netdev_add", "{\"type\": \"tap\", \"id\": \"t\", \"script\": \"/tmp/evil.sh\"}");
    denied("screendump", "{\"filename\": \"/root/.ssh/authorized_keys\"}");
    denied("drive-mirror", "{\"device\": \"d\", \"target\": \"/etc/x\", \"sync\": \"full\"}");
    allowed("device_add", "{\"driver\": \"e1000e\", \"id\": \"n\", \"romfile\": \"efi-e1000e.rom\"}");
    allowed("netdev_add", "{\"type\": \"tap\", \"id\": \"t\", \"script\": \"no\", \"downscript\": \"no\"}");
    allowed("blockdev-add", "{\"node-name\": \"n\", \"driver\": \"file\", \"filename\": \"" + root + "/d.img\"}");
  }

  @Test
  void descriptorsNamedInArgumentsAreRefused() {
    // found by attack: netdev_add tap fd=3 made QEMU treat its own descriptor 3 (a disk, its QMP socket) as a tap
    assertThat(denied("netdev_add", "{\"type\": \"tap\", \"id\": \"t\", \"fd\": \"3\"}")).startsWith("fd names");
    denied("netdev_add", "{\"type\": \"tap\", \"id\": \"t\", \"fds\": \"3:4\"}");
    denied("netdev_add", "{\"type\": \"tap\", \"id\": \"t\", \"ifname\": \"x\", \"vhostfd\": \"5\"}");
    denied("netdev_add", "{\"type\": \"socket\", \"id\": \"s\", \"fd\": \"7\"}");
    denied("netdev_add", "{\"type\": \"stream\", \"id\": \"s\", \"addr\": {\"type\": \"fd\", \"str\": \"7\"}}");
    denied("closefd", "{\"fdname\": \"n0.fd0\"}");
    allowed("netdev_add", "{\"type\": \"user\", \"id\": \"u\"}");
  }

  @Test
  void hostFilesAndDevicesUnderOtherNamesAreRefused() {
    assertThat(denied("object-add", "{\"qom-type\": \"filter-dump\", \"id\": \"f\", \"netdev\": \"n\", \"file\":"
        + " \"/etc/shadow\"}")).startsWith("file: \"/etc/shadow\"");
    denied("object-add", "{\"qom-type\": \"secret\", \"id\": \"s\", \"file\": \"/root/.ssh/id_rsa\"}");
    denied("object-add", "{\"qom-type\": \"pr-manager-helper\", \"id\": \"p\", \"path\": \"/run/x.sock\"}");
    denied("object-add", "{\"qom-type\": \"dbus-vmstate\", \"id\": \"d\", \"addr\": \"unix:path=/run/dbus/s\"}");
    denied("device_add", "{\"driver\": \"loader\", \"file\": \"/etc/shadow\", \"addr\": 4096}");
    denied("device_add", "{\"driver\": \"usb-mtp\", \"rootdir\": \"/\", \"readonly\": false}");
    denied("device_add", "{\"driver\": \"usb-host\", \"hostbus\": 1, \"hostaddr\": 2}");
    denied("device_add", "{\"driver\": \"vfio-pci\", \"host\": \"0000:00:02.0\"}");
    assertThat(denied("netdev_add", "{\"type\": \"user\", \"id\": \"u\", \"tftp\": \"/etc\"}"))
        .startsWith("tftp: \"/etc\"");
    denied("netdev_add", "{\"type\": \"user\", \"id\": \"u\", \"smb\": \"" + root + "\"}");
    denied("netdev_add", "{\"type\": \"user\", \"id\": \"u\", \"guestfwd\": [{\"str\":"
        + " \"tcp:10.0.2.100:1-file:/etc/shadow\"}]}");
    denied("netdev_add", "{\"type\": \"vhost-vdpa\", \"id\": \"v\", \"vhostdev\": \"/dev/vhost-vdpa-0\"}");
    denied("blockdev-add", "{\"node-name\": \"b\", \"driver\": \"blkdebug\", \"config\": \"/etc/shadow\","
        + " \"image\": \"d0\"}");
    denied("migrate-recover", "{\"uri\": \"exec:id\"}");
    denied("blockdev-add", "{\"node-name\": \"b\", \"driver\": \"nbd\", \"server\": {\"type\": \"unix\", \"path\":"
        + " \"" + root + "/vms/other/qmp.sock\"}}");
    assertThat(denied("netdev_add", "{\"type\": \"stream\", \"id\": \"s\", \"addr\": {\"type\": \"unix\", \"path\":"
        + " \"/run/docker.sock\"}}")).startsWith("path: \"/run/docker.sock\"");
    denied("netdev_add", "{\"type\": \"stream\", \"id\": \"s\", \"addr\": {\"type\": \"unix\", \"path\":"
        + " \"dbus\", \"abstract\": true}}");
    assertThat(denied("netdev_add", "{\"type\": \"user\", \"id\": \"u\", \"tftp\": \"" + root + "\"}"))
        .contains("holds " + root.resolve("vms"));
    denied("device_add", "{\"driver\": \"usb-mtp\", \"rootdir\": \"" + root + "/.\"}");
    allowed("netdev_add", "{\"type\": \"user\", \"id\": \"u\", \"tftp\": \"" + root + "/tftp\"}");
    allowed("object-add", "{\"qom-type\": \"filter-dump\", \"id\": \"f\", \"netdev\": \"n\", \"file\": \""
        + root + "/n.pcap\"}");
    allowed("blockdev-add", "{\"node-name\": \"q\", \"driver\": \"qcow2\", \"file\": \"f0\"}");
  }

  /**
   * Found by attack (each checked on QEMU 7.2 by hand): every one of these reached a host file past the policy, on the
   * event loop and on a worker alike.
   */
  @Test
  void hostPathsInLegacyAddressesTransactionsExportsAndDevicePropertiesAreRefused() {
    // nbd-server-start's addr is a legacy SocketAddress: QEMU unlinked /etc/x and bound a socket in its place
    assertThat(denied("nbd-server-start", "{\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"/etc/x\"}}}"))
        .startsWith("data.path: \"/etc/x\"");
    // a drive-backup inside a transaction creates (truncates) its target like the command itself
    assertThat(denied("transaction", "{\"actions\": [{\"type\": \"drive-backup\", \"data\": {\"device\": \"n0\","
        + " \"target\": \"/etc/shadow\", \"sync\": \"full\"}}]}")).startsWith("target: \"/etc/shadow\"");
    // a FUSE export mounts the VM's disk over any host file
    assertThat(denied("block-export-add", "{\"type\": \"fuse\", \"id\": \"e\", \"node-name\": \"n0\","
        + " \"mountpoint\": \"/etc/passwd\", \"writable\": true}")).startsWith("mountpoint: \"/etc/passwd\"");
    // the qtest object truncates its log; every USB device truncates its pcap; u2f-passthru opens a host hidraw
    assertThat(denied("object-add", "{\"qom-type\": \"qtest\", \"id\": \"q\", \"chardev\": \"c0\", \"log\":"
        + " \"/etc/shadow\"}")).startsWith("log: \"/etc/shadow\"");
    assertThat(denied("device_add", "{\"driver\": \"usb-kbd\", \"id\": \"k\", \"pcap\": \"/etc/shadow\"}"))
        .startsWith("pcap: \"/etc/shadow\"");
    denied("device_add", "{\"driver\": \"u2f-passthru\", \"id\": \"u\", \"hidraw\": \"/dev/hidraw0\"}");
    // the userspace NVMe block driver takes a host PCI device through VFIO; the emulated controller is the guest's
    assertThat(denied("blockdev-add", "{\"node-name\": \"n\", \"driver\": \"raw\", \"file\": {\"driver\": \"nvme\","
        + " \"device\": \"0000:01:00.0\", \"namespace\": 1}}")).contains("host NVMe device 0000:01:00.0");
    allowed("device_add", "{\"driver\": \"nvme\", \"id\": \"c\", \"serial\": \"s1\", \"drive\": \"d0\"}");
    // vde connects to a host switch's unix socket
    denied("netdev_add", "{\"type\": \"vde\", \"id\": \"v\", \"sock\": \"/run/vde.ctl\"}");
    allowed("nbd-server-start", "{\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"" + root + "/nbd.sock\"}}}");
    allowed("transaction", "{\"actions\": [{\"type\": \"drive-backup\", \"data\": {\"device\": \"n0\", \"target\":"
        + " \"" + root + "/b.img\", \"sync\": \"full\"}}]}");
    allowed("transaction", "{\"actions\": [{\"type\": \"blockdev-backup\", \"data\": {\"device\": \"n0\","
        + " \"target\": \"n1\", \"sync\": \"full\"}}]}");
    allowed("blockdev-add", "{\"node-name\": \"l\", \"driver\": \"blklogwrites\", \"file\": \"n0\", \"log\": \"n1\"}");
    // none of them may be judged on the event loop: each names a path to resolve
    assertThat(restricted.judgeWithoutFiles("block-export-add", new JsonObject("{\"type\": \"fuse\", \"id\":"
        + " \"e\", \"node-name\": \"n0\", \"mountpoint\": \"" + root + "/m\"}"))).isEmpty();
  }

  @Test
  void commandsThatStayInsideTheVmAreAllowed() {
    allowed("query-status", "{}");
    allowed("qom-get", "{\"path\": \"/machine\", \"property\": \"type\"}");
    allowed("block_resize", "{\"device\": \"d0\", \"size\": 1048576}");
    allowed("device_del", "{\"id\": \"/machine/peripheral/n\"}");
  }

  @Test
  void aCommandThatNamesAHostPathIsNeverJudgedWithoutTheFileSystem() throws Exception {
    // a link inside the roots that leads out of them: only resolving it on the file system tells
    Files.createSymbolicLink(root.resolve("out"), Path.of("/etc"));
    String args = "{\"node-name\": \"n\", \"driver\": \"file\", \"filename\": \"" + root + "/out/shadow\"}";
    assertThat(denied("blockdev-add", args)).contains("shadow");
    assertThat(restricted.judgeWithoutFiles("blockdev-add", new JsonObject(args))).isEmpty();
    assertThat(restricted.judgeWithoutFiles("migrate", new JsonObject().put("uri", "unix:" + root + "/s")))
        .isEmpty();
    assertThat(restricted.judgeWithoutFiles("chardev-add", new JsonObject("{\"id\": \"c\", \"backend\":"
        + " {\"type\": \"file\", \"data\": {\"out\": \"" + root + "/c.log\"}}}"))).isEmpty();
  }

  @Test
  void commandsWithoutHostPathsAreJudgedWithoutTheFileSystem() {
    assertThat(restricted.judgeWithoutFiles("query-status", new JsonObject())).contains(Verdict.ALLOW);
    assertThat(restricted.judgeWithoutFiles("human-monitor-command", new JsonObject().put("command-line", "x")))
        .hasValueSatisfying(v -> assertThat(v.kind()).isEqualTo(Verdict.Kind.DENY));
    assertThat(restricted.judgeWithoutFiles("migrate", new JsonObject().put("uri", "exec:id")))
        .hasValueSatisfying(v -> assertThat(v.reason()).contains("runs a host command"));
    assertThat(restricted.judgeWithoutFiles("netdev_add", new JsonObject("{\"type\": \"tap\", \"id\": \"t\","
        + " \"fd\": \"3\"}"))).hasValueSatisfying(v -> assertThat(v.kind()).isEqualTo(Verdict.Kind.DENY));
    assertThat(unrestricted.judgeWithoutFiles("getfd", new JsonObject().put("fdname", "x")))
        .hasValueSatisfying(v -> assertThat(v.kind()).isEqualTo(Verdict.Kind.TAINT));
    // a relative romfile is a name in QEMU's data directory: no path to resolve
    assertThat(restricted.judgeWithoutFiles("device_add", new JsonObject("{\"driver\": \"e1000e\", \"id\":"
        + " \"n\", \"romfile\": \"efi-e1000e.rom\"}"))).contains(Verdict.ALLOW);
  }

  @Test
  void unrestrictedRunsTheSameCommandsButTaintsWithTheSameReason() {
    Verdict v = unrestricted.judge("human-monitor-command", new JsonObject().put("command-line", "info status"));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.TAINT);
    assertThat(v.reason()).startsWith("HMP runs any");
    assertThat(unrestricted.judge("query-status", new JsonObject())).isEqualTo(Verdict.ALLOW);
  }
}

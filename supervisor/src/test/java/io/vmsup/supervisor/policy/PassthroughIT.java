package io.vmsup.supervisor.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pass-through policy against a real QEMU ({@code -machine none}): HMP {@code migrate exec:} and a
 * {@code chardev-add} file backend outside the roots never reach QEMU in the default mode (nothing runs, no file
 * appears); in the unrestricted mode they run and the VM is tainted, in its view and across a daemon restart.
 */
class PassthroughIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  @TempDir
  Path outside;

  private static JsonObject qmp(String execute, JsonObject args) {
    return new JsonObject().put("name", "p").put("execute", execute).put("arguments", args);
  }

  private static JsonObject hmpMigrateExec(Path marker) {
    return qmp("human-monitor-command", new JsonObject().put("command-line", "migrate \"exec:touch " + marker + "\""));
  }

  private static JsonObject chardevFile(Path file) {
    return qmp("chardev-add", new JsonObject().put("id", "c1").put("backend", new JsonObject().put("type", "file")
        .put("data", new JsonObject().put("out", file.toString()))));
  }

  private Fixture vm(PassthroughMode mode) throws Exception {
    Fixture f = supervisors.start(supervisors.options().withQmpPassthrough(mode));
    f.request(Addresses.CREATE, Fixture.spec("p"));
    f.request(Addresses.START, new JsonObject().put("name", "p"));
    return f;
  }

  @Test
  void restrictedRefusesHmpExecAndHostFileChardevsBeforeQemuSeesThem() throws Exception {
    Fixture f = vm(PassthroughMode.RESTRICTED);
    Path marker = outside.resolve("pwned");

    ReplyException hmp = f.failure(Addresses.QMP, hmpMigrateExec(marker));
    ReplyException chardev = f.failure(Addresses.QMP, chardevFile(outside.resolve("written")));

    assertThat(hmp.failureCode()).isEqualTo(403);
    assertThat(new JsonObject(hmp.getMessage()).getString("message"))
        .contains("'human-monitor-command' is refused by the pass-through policy", "HMP runs any monitor command");
    assertThat(chardev.failureCode()).isEqualTo(403);
    assertThat(new JsonObject(chardev.getMessage()).getString("reason"))
        .isEqualTo("backend.data.out: \"" + outside.resolve("written") + "\" is outside the allowed paths "
            + supervisors.options().pathRoots().roots() + "; add a root with the daemon's allowedPaths setting");
    JsonObject chardevs = f.request(Addresses.QMP, qmp("query-chardev", new JsonObject()));
    assertThat(chardevs.getJsonArray("return").stream().map(o -> ((JsonObject) o).getString("label")))
        .doesNotContain("c1");
    assertThat(marker).doesNotExist();
    assertThat(outside.resolve("written")).doesNotExist();
    JsonObject view = f.request(Addresses.GET, new JsonObject().put("name", "p"));
    assertThat(view.getBoolean("tainted")).isFalse();
  }

  /**
   * QEMU looks a bare {@code romfile} name (which the policy and the path roots let through as "QEMU's data
   * directory") up in its working directory first: that directory is the VM's own, not the daemon's.
   */
  @Test
  void qemuRunsInItsOwnVmDirectorySoABareFileNameCannotReachTheDaemonsWorkingDirectory() throws Exception {
    Fixture f = vm(PassthroughMode.RESTRICTED);
    long pid = f.request(Addresses.GET, new JsonObject().put("name", "p")).getLong("pid");

    Path cwd = Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd"));

    assertThat(cwd.getFileName()).hasToString("p");
    assertThat(cwd.getParent().getFileName()).hasToString("vms");
    assertThat(cwd).isNotEqualTo(Path.of("").toAbsolutePath());
  }

  /** Without the policy's file check QEMU (as root) creates or truncates this file: a pcap header is written. */
  @Test
  void restrictedRefusesAFilterDumpThatWouldTruncateAHostFile() throws Exception {
    Fixture f = vm(PassthroughMode.RESTRICTED);
    Path victim = outside.resolve("victim");
    Files.writeString(victim, "precious");
    f.request(Addresses.QMP, qmp("netdev_add", new JsonObject().put("type", "user").put("id", "n0")));

    ReplyException dump = f.failure(Addresses.QMP, qmp("object-add", new JsonObject().put("qom-type", "filter-dump")
        .put("id", "f0").put("netdev", "n0").put("file", victim.toString())));
    ReplyException tftp = f.failure(Addresses.QMP, qmp("netdev_add", new JsonObject().put("type", "user")
        .put("id", "n1").put("tftp", outside.toString())));

    assertThat(dump.failureCode()).isEqualTo(403);
    assertThat(new JsonObject(dump.getMessage()).getString("reason")).startsWith("file: \"" + victim + "\" is outside");
    assertThat(tftp.failureCode()).isEqualTo(403);
    assertThat(victim).hasContent("precious");
    JsonObject objects = f.request(Addresses.QMP, qmp("qom-list", new JsonObject().put("path", "/objects")));
    assertThat(objects.getJsonArray("return").stream().map(o -> ((JsonObject) o).getString("name")))
        .doesNotContain("f0");
  }

  /**
   * Found by attack: by hand, QEMU 7.2 unlinked the file an {@code nbd-server-start} legacy unix address named (and
   * bound its socket there), and mounted a FUSE export over a host file; neither may reach QEMU.
   */
  @Test
  void restrictedRefusesAnNbdServerOnAHostFileAndAFuseExportOverOne() throws Exception {
    Fixture f = vm(PassthroughMode.RESTRICTED);
    Path victim = outside.resolve("victim");
    Files.writeString(victim, "precious");
    f.request(Addresses.QMP, qmp("blockdev-add", new JsonObject().put("driver", "null-co").put("node-name", "n0")));

    ReplyException nbd = f.failure(Addresses.QMP, qmp("nbd-server-start", new JsonObject().put("addr",
        new JsonObject().put("type", "unix").put("data", new JsonObject().put("path", victim.toString())))));
    ReplyException fuse = f.failure(Addresses.QMP, qmp("block-export-add", new JsonObject().put("type", "fuse")
        .put("id", "e0").put("node-name", "n0").put("mountpoint", victim.toString())));

    assertThat(nbd.failureCode()).isEqualTo(403);
    assertThat(fuse.failureCode()).isEqualTo(403);
    assertThat(new JsonObject(fuse.getMessage()).getString("reason")).startsWith("mountpoint: \"" + victim + "\"");
    assertThat(victim).isRegularFile().hasContent("precious");
    assertThat(f.request(Addresses.QMP, qmp("query-block-exports", new JsonObject())).getJsonArray("return"))
        .isEmpty();
  }

  /**
   * Found by attack4: an argument holding half of a surrogate pair (JSON {@code "\\udc00"}, which the edge accepts)
   * reached QEMU, whose id-less parse error made the daemon drop the VM's QMP connection (every command on it failed,
   * then a reconnect). It is the caller's error, 400 with where; the connection is untouched.
   */
  @Test
  void aStringQemuCannotParseIsTheCallersErrorAndLeavesTheConnectionAlone() throws Exception {
    Fixture f = vm(PassthroughMode.RESTRICTED);

    ReplyException bad = f.failure(Addresses.QMP, qmp("qom-list", new JsonObject().put("path", "/machine\udc00")));

    assertThat(bad.failureCode()).isEqualTo(400);
    JsonObject body = new JsonObject(bad.getMessage());
    assertThat(body.getString("message")).contains("half of a surrogate pair");
    assertThat(body.getString("path")).isEqualTo("arguments.path");
    assertThat(f.request(Addresses.QMP, qmp("query-status", new JsonObject())).getJsonObject("return")
        .getString("status")).isEqualTo("running");
    assertThat(f.events).noneMatch(e -> "qmp-reconnected".equals(e.getString("type")));
  }

  @Test
  void unrestrictedRunsThemAndTheVmStaysTaintedAcrossADaemonRestart() throws Exception {
    Fixture f = vm(PassthroughMode.UNRESTRICTED);
    Path written = outside.resolve("written");

    if (io.vmsup.supervisor.launch.UidRange.isRoot()) {
      // the policy lets it through, QEMU gets it (tainted), but QEMU's own uid may not open a file outside its grants
      io.vertx.core.eventbus.ReplyException denied = f.failure(Addresses.QMP, chardevFile(written));
      assertThat(denied.getMessage()).contains("Permission denied");
      assertThat(written).doesNotExist();
    } else {
      f.request(Addresses.QMP, chardevFile(written));
      assertThat(written).exists();
    }
    JsonObject view = f.request(Addresses.GET, new JsonObject().put("name", "p"));
    assertThat(view.getBoolean("tainted")).isTrue();
    assertThat(view.getJsonArray("taint").getJsonObject(0).getString("command")).isEqualTo("chardev-add");
    assertThat(f.events).anyMatch(e -> "tainted".equals(e.getString("type")));
    f.close();

    Fixture again = supervisors.start(supervisors.options());
    JsonObject after = again.request(Addresses.GET, new JsonObject().put("name", "p"));
    assertThat(after.getString("state")).isEqualTo("RUNNING");
    assertThat(after.getBoolean("tainted")).isTrue();
    assertThat(after.getJsonArray("taint").getJsonObject(0).getString("reason")).contains(written.toString());
    assertThat(Files.readString(supervisors.dir().resolve("vms/p/taint.json"))).contains("chardev-add");
  }
}

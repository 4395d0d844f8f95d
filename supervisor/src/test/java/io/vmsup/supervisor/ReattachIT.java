package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A second daemon on the same state directory, the first one gone without stopping its VMs. */
class ReattachIT {

  private static final Duration T = Duration.ofSeconds(20);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture first;
  private Fixture second;

  @Test
  void aRunningVmIsReattachedWithTheSamePidAndItsDeathIsStillSeen() throws Exception {
    first = supervisors.start();
    first.request(Addresses.CREATE, Fixture.spec("r"));
    long pid = first.request(Addresses.START, Fixture.name("r")).getLong("pid");
    first.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue();

    second = supervisors.start();
    JsonObject view = second.request(Addresses.GET, Fixture.name("r"));
    assertThat(view.getString("state")).isEqualTo("RUNNING");
    assertThat(view.getString("reason")).isEqualTo("reattached");
    assertThat(view.getLong("pid")).isEqualTo(pid);
    JsonObject status = second.request(Addresses.QMP, Fixture.name("r").put("execute", "query-status"));
    assertThat(status.getJsonObject("return").getBoolean("running")).isTrue();

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    // how soon the CRASHED event follows the SIGKILL is a figure of `./vmsup bench supervision`
    second.awaitState("r", "CRASHED", T);
  }

  @Test
  void anAdoptedVmWhoseDesiredStateIsStoppedIsStopped() throws Exception {
    first = supervisors.start();
    first.request(Addresses.CREATE, Fixture.spec("d", new JsonObject().put("stopGrace", "100ms")));
    long pid = first.request(Addresses.START, Fixture.name("d")).getLong("pid");
    first.close();
    // as if the daemon died after recording the stop request but before the ladder ended
    java.nio.file.Files.writeString(supervisors.dir().resolve("vms/d/desired"), "STOPPED\n");

    second = supervisors.start();
    assertThat(second.awaitState("d", "RUNNING", T).getString("reason")).isEqualTo("reattached");
    assertThat(second.awaitState("d", "STOPPED", T).getString("from")).isEqualTo("STOPPING");
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    assertThat(second.request(Addresses.GET, Fixture.name("d")).getString("state")).isEqualTo("STOPPED");
  }

  @Test
  void aVmKilledWhileTheDaemonWasDownIsCrashedAndRestartedByPolicy() throws Exception {
    first = supervisors.start();
    first.request(Addresses.CREATE, Fixture.spec("k", new JsonObject().put("restart", "on-failure")
        .put("backoffInitial", "10ms")));
    long pid = first.request(Addresses.START, Fixture.name("k")).getLong("pid");
    first.close();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());

    second = supervisors.start();
    assertThat(second.awaitState("k", "CRASHED", T).getString("reason")).isEqualTo("died-while-daemon-down");
    assertThat(second.awaitState("k", "STARTING", T).getString("reason")).isEqualTo("restart");
    second.awaitState("k", "RUNNING", T);
    JsonObject view = second.request(Addresses.GET, Fixture.name("k"));
    assertThat(view.getLong("pid")).isNotEqualTo(pid);
    assertThat(view.getInteger("restarts")).isEqualTo(1);
  }

  @Test
  void aProcessThatCannotBeProvenOursIsNeitherAdoptedNorDoubled() throws Exception {
    first = supervisors.start();
    first.request(Addresses.CREATE, Fixture.spec("u", new JsonObject().put("restart", "always")));
    long pid = first.request(Addresses.START, Fixture.name("u")).getLong("pid");
    first.close();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    // Someone else's QEMU now serves this VM's socket path: it is not the process runtime.json recorded.
    Path socket = supervisors.dir().resolve("vms/u/qmp.sock");
    Process stray = new ProcessBuilder(List.of("qemu-system-x86_64", "-machine", "none", "-nodefaults", "-display", "none",
        "-chardev", "socket,id=m,path=" + socket + ",server=on,wait=off", "-mon", "chardev=m,mode=control"))
        .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();

    second = supervisors.start();
    JsonObject failed = second.awaitState("u", "FAILED", T);
    assertThat(failed.getString("reason")).isEqualTo("unverified-process");
    JsonObject view = second.request(Addresses.GET, Fixture.name("u"));
    assertThat(view.getString("state")).isEqualTo("FAILED");
    long qemus = ProcessHandle.allProcesses().filter(p -> Fixture.cmdline(p.pid()).contains(socket.toString()))
        .count();
    assertThat(qemus).as("no second QEMU was started").isEqualTo(1);
    assertThat(stray.isAlive()).isTrue();
    assertThat(stray.waitFor(0, TimeUnit.MILLISECONDS)).isFalse();

    // a manual start must not take the stray's socket away
    io.vertx.core.eventbus.ReplyException refused = second.failure(Addresses.START, Fixture.name("u"));
    assertThat(refused.failureCode()).isEqualTo(409);
    assertThat(new JsonObject(refused.getMessage()).getLong("pid")).isEqualTo(stray.pid());
    assertThat(stray.isAlive()).isTrue();
    stray.destroyForcibly();
    stray.waitFor(10, TimeUnit.SECONDS);
    assertThat(second.request(Addresses.START, Fixture.name("u")).getString("state")).isEqualTo("RUNNING");
  }
  /**
   * A host problem that appeared while the daemon was down (here: the disk image deleted; QEMU keeps it open) must
   * not drop a running VM from supervision: it would run unseen, and a new VM of that name would get its directory.
   */
  @Test
  void aRunningVmIsReattachedEvenWhenItsSpecNoLongerPassesTheHostChecks() throws Exception {
    Path disk = supervisors.dir().resolve("disk.raw");
    java.nio.file.Files.write(disk, new byte[1 << 20]);
    JsonObject spec = new JsonObject().put("name", "h")
        .put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("devices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("kind", "disk")
            .put("id", "disk0").put("file", disk.toString()).put("format", "raw")));
    first = supervisors.start();
    first.request(Addresses.CREATE, spec);
    long pid = first.request(Addresses.START, Fixture.name("h")).getLong("pid");
    first.close();
    java.nio.file.Files.delete(disk);

    second = supervisors.start();
    JsonObject view = second.request(Addresses.GET, Fixture.name("h"));
    assertThat(view.getString("state")).isEqualTo("RUNNING");
    assertThat(view.getString("reason")).isEqualTo("reattached");
    assertThat(view.getLong("pid")).isEqualTo(pid);
    assertThat(second.failure(Addresses.CREATE, spec).failureCode()).isIn(400, 409);
  }
  /** A VM directory the daemon could not load (its spec no longer parses) is not overwritten by a create. */
  @Test
  void aCreateDoesNotTakeOverTheDirectoryOfAVmThatCouldNotBeLoaded() throws Exception {
    Path vm = supervisors.dir().resolve("vms/u");
    java.nio.file.Files.createDirectories(vm);
    java.nio.file.Files.writeString(vm.resolve("spec.json"), "{\"name\": \"u\", \"machine\": 42}");
    java.nio.file.Files.writeString(vm.resolve("runtime.json"), "{}");
    first = supervisors.start();
    assertThat(first.failure(Addresses.GET, Fixture.name("u")).failureCode()).isEqualTo(404);
    assertThat(first.failure(Addresses.CREATE, Fixture.spec("u")).failureCode()).isEqualTo(409);
    assertThat(java.nio.file.Files.readString(vm.resolve("spec.json"))).contains("42");
    assertThat(first.failure(Addresses.GET, Fixture.name("u")).failureCode()).isEqualTo(404);
    assertThat(first.request(Addresses.CREATE, Fixture.spec("v")).getString("state")).isEqualTo("DEFINED");
  }
}

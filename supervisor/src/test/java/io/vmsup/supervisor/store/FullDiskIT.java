package io.vmsup.supervisor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real state file system that fails (a 2 MiB tmpfs filled to the last block, remounted read-only, or emptied
 * under the daemon) under a real daemon with real QEMUs: every reply matches what happened to the VM (read back from
 * the process and QMP) and what the disk says, nothing half-made is left, and once the disk takes writes again the
 * record is rewritten and a daemon restart shows the truth.
 */
class FullDiskIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Tmpfs fs;
  private Path state;
  private Fixture f;

  @BeforeEach
  void mount() throws Exception {
    assumeTrue(Tmpfs.root(), "mounting a tmpfs needs root (CI runs as root)");
    fs = Tmpfs.mount("2m");
    supervisors.afterProcesses(fs);
    state = fs.mountPoint.resolve("s");
    supervisors.killAlsoUnder(state);
    f = supervisors.start(Fixture.options(state));
  }

  @Test
  void aFullDiskRefusesWhatItCannotRecordAndTheRepliesSaySo() throws Exception {
    f.request(Addresses.CREATE, Fixture.spec("a"));
    f.request(Addresses.CREATE, Fixture.spec("b").put("machine", new JsonObject().put("type", "q35")));
    f.request(Addresses.CREATE, Fixture.spec("d"));
    long a = f.request(Addresses.START, Fixture.name("a")).getLong("pid");
    long d = f.request(Addresses.START, Fixture.name("d")).getLong("pid");
    fs.fill();

    JsonObject c = body(f.failure(Addresses.CREATE, Fixture.spec("c")));
    assertThat(c.getString("error")).isEqualTo("not-persisted");
    assertThat(c.getString("message")).startsWith("VM 'c' was not created").contains("No space left on device");
    assertThat(c.getString("cause")).isEqualTo("No space left on device");
    assertThat(vmDir("c")).doesNotExist();
    assertThat(f.failure(Addresses.GET, Fixture.name("c")).failureCode()).isEqualTo(404);

    awaitHolders("b", 1); // the console follows b's serial log: it holds b's directory for the VM's life
    ReplyException start = f.failure(Addresses.START, Fixture.name("b"));
    JsonObject b = body(start);
    assertThat(start.failureCode()).isEqualTo(507);
    assertThat(b.getString("message")).startsWith("VM 'b' was not started (state FAILED; no QEMU was spawned)");
    assertThat(b.getString("unwritten")).isEqualTo("desired and runtime.json (the start's intent)");
    assertThat(qemusOf("b")).as("no QEMU runs for b").isZero();
    assertThat(desiredOnDisk("b")).isEqualTo("STOPPED");
    // the launch's preparation ran beside the failed write: its socket watch goes, and the log shows no start
    awaitNoSocketWatch("b");
    assertThat(Files.exists(vmDir("b").resolve("qemu.log")) ? Files.readString(vmDir("b").resolve("qemu.log")) : "")
        .as("the spawn never began").doesNotContain(io.vmsup.supervisor.launch.QemuLauncher.MARK);

    JsonObject spec = f.request(Addresses.GET, Fixture.name("b")).getJsonObject("spec");
    JsonObject at = body(f.failure(Addresses.ATTACH, Fixture.name("b")
        .put("device", new JsonObject().put("kind", "pvpanic").put("id", "panic0"))));
    assertThat(at.getString("error")).as(at.encode()).isEqualTo("not-persisted");
    assertThat(at.getString("message")).startsWith("VM 'b' is unchanged (spec edit not applied)");
    assertThat(f.request(Addresses.GET, Fixture.name("b")).getJsonObject("spec")).isEqualTo(spec);
    assertThat(new JsonObject(Files.readString(vmDir("b").resolve("spec.json")))).isEqualTo(spec);

    // pause and resume write nothing: they work on a full disk, and QEMU agrees
    assertThat(f.request(Addresses.PAUSE, Fixture.name("d")).getString("state")).isEqualTo("PAUSED");
    assertThat(running("d")).isFalse();
    assertThat(f.request(Addresses.RESUME, Fixture.name("d")).getString("state")).isEqualTo("RUNNING");
    assertThat(running("d")).isTrue();

    // removing runtime.json frees a block, which may let the desired state in: either way reply and disk agree
    stoppedAndToldTheTruth("a", a, Addresses.STOP, Fixture.name("a").put("graceSeconds", 0), "stopped");
    stoppedAndToldTheTruth("d", d, Addresses.KILL, Fixture.name("d"), "was killed");

    // a rename needs no space: delete works and leaves nothing
    assertThat(f.request(Addresses.DELETE, Fixture.name("b")).getBoolean("deleted")).isTrue();
    try (var left = Files.list(state.resolve("vms"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "d");
    }
    assertThat(fs.tempFiles()).as("no temporary file left behind").isEmpty();

    fs.free();
    awaitOnDisk("a", "STOPPED");
    awaitOnDisk("d", "STOPPED");
    restartShowsDefined("a", "d");
    assertThat(fs.tempFiles()).isEmpty();
  }

  @Test
  void whenNothingCanBeFreedTheStopIs507AndTheRecordCatchesUpBeforeARestart() throws Exception {
    f.request(Addresses.CREATE, Fixture.spec("a"));
    long a = f.request(Addresses.START, Fixture.name("a")).getLong("pid");
    // second links keep the blocks of runtime.json and QEMU's pid file in use: removing them frees nothing
    Path pins = Files.createDirectory(fs.mountPoint.resolve("pins"));
    for (String file : new String[] {"runtime.json", "qemu.pid"}) {
      Files.createLink(pins.resolve(file), vmDir("a").resolve(file));
    }
    fs.fill();

    ReplyException stop = f.failure(Addresses.STOP, Fixture.name("a").put("graceSeconds", 0));
    JsonObject s = body(stop);
    assertThat(stop.failureCode()).isEqualTo(507);
    assertThat(s.getString("error")).isEqualTo("not-persisted");
    assertThat(s.getString("message")).startsWith("VM 'a' stopped (state STOPPED), but ");
    assertThat(s.getString("state")).isEqualTo("STOPPED");
    assertThat(s.getString("desired")).isEqualTo("STOPPED");
    assertThat(s.getString("cause")).isEqualTo("No space left on device");
    assertThat(s.getJsonObject("vm").getString("state")).isEqualTo("STOPPED");
    assertThat(ProcessHandle.of(a).map(ProcessHandle::isAlive).orElse(false)).as("QEMU of a is gone").isFalse();
    assertThat(desiredOnDisk("a")).as("the disk could not be told").isEqualTo("RUNNING");
    assertThat(vmDir("a").resolve("runtime.json")).as("so a restart cannot resurrect it").doesNotExist();

    JsonObject view = f.request(Addresses.GET, Fixture.name("a"));
    assertThat(view.getBoolean("persisted")).isFalse();
    assertThat(view.getJsonObject("unpersisted").getString("cause")).isEqualTo("No space left on device");

    JsonObject st = body(f.failure(Addresses.START, Fixture.name("a")));
    assertThat(st.getString("message")).startsWith("VM 'a' was not started (state FAILED; no QEMU was spawned)");
    assertThat(qemusOf("a")).isZero();
    assertThat(fs.tempFiles()).isEmpty();

    fs.free();
    Tmpfs.run("rm", "-rf", pins.toString());
    f.awaitEvent(e -> "persistence".equals(e.getString("type")) && e.getBoolean("inStep"), WAIT);
    assertThat(f.request(Addresses.GET, Fixture.name("a")).getBoolean("persisted")).isTrue();
    assertThat(desiredOnDisk("a")).as("the failed start did not leave RUNNING behind").isEqualTo("STOPPED");
    restartShowsDefined("a");
  }

  /**
   * A create-and-start writes the VM's spec, desired state and the start's intent in one write: on a full disk none
   * of it stays, no QEMU is spawned, and the reply is the create's NOT_PERSISTED naming all of them.
   */
  @Test
  void aCreateAndStartOnAFullDiskLeavesNothingAndSpawnsNothing() throws Exception {
    f.request(Addresses.CREATE, Fixture.spec("a"));
    fs.fill();
    ReplyException e = (ReplyException) io.vmsup.qmp.testing.Await.failure(f.vertx.eventBus().request(
        Addresses.CREATE, Fixture.spec("c"), new io.vertx.core.eventbus.DeliveryOptions()
            .addHeader(io.vmsup.supervisor.api.CreateAndStart.HEADER, "true")), WAIT);
    JsonObject c = body(e);
    assertThat(e.failureCode()).isEqualTo(507);
    assertThat(c.getString("message")).startsWith("VM 'c' was not created");
    assertThat(c.getString("unwritten")).isEqualTo("spec.json, pci.json, desired and runtime.json (the start's intent)");
    assertThat(c.getString("cause")).isEqualTo("No space left on device");
    assertThat(c.getValue("created")).as("not created: not a start's failure").isNull();
    assertThat(vmDir("c")).doesNotExist();
    assertThat(qemusOf("c")).as("no QEMU runs for c").isZero();
    assertThat(f.failure(Addresses.GET, Fixture.name("c")).failureCode()).isEqualTo(404);
    assertThat(fs.tempFiles()).as("no temporary file left behind").isEmpty();
    fs.free();
    JsonObject view = f.request(Addresses.CREATE, Fixture.spec("c"));
    assertThat(view.getString("state")).as("the name is free again").isEqualTo("DEFINED");
  }

  @Test
  void aDaemonStoppedWhileTheRecordIsBehindWritesItOnTheWayOut() throws Exception {
    f.request(Addresses.CREATE, Fixture.spec("a"));
    f.request(Addresses.START, Fixture.name("a"));
    Path pins = Files.createDirectory(fs.mountPoint.resolve("pins"));
    for (String file : new String[] {"runtime.json", "qemu.pid"}) {
      Files.createLink(pins.resolve(file), vmDir("a").resolve(file));
    }
    fs.fill();
    assertThat(f.failure(Addresses.STOP, Fixture.name("a").put("graceSeconds", 0)).failureCode()).isEqualTo(507);
    fs.free();
    Tmpfs.run("rm", "-rf", pins.toString());
    // closed at once, before the retry timer: the actor's last try writes the record
    restartShowsDefined("a");
    assertThat(desiredOnDisk("a")).isEqualTo("STOPPED");
  }

  @Test
  void aRecordDeletedUnderTheDaemonIsWrittenAgain() throws Exception {
    f.request(Addresses.CREATE, Fixture.spec("a"));
    long a = f.request(Addresses.START, Fixture.name("a")).getLong("pid");
    Tmpfs.run("rm", "-rf", vmDir("a").toString());

    stoppedAndToldTheTruth("a", a, Addresses.STOP, Fixture.name("a").put("graceSeconds", 0), "stopped");
    awaitOnDisk("a", "STOPPED");
    assertThat(new JsonObject(Files.readString(vmDir("a").resolve("spec.json"))).getString("name")).isEqualTo("a");
    assertThat(vmDir("a").resolve("runtime.json")).doesNotExist();
    restartShowsDefined("a");
  }

  /** The VM's QEMU is gone; a success means the disk says STOPPED, a 507 says what the disk still holds. */
  private void stoppedAndToldTheTruth(String vm, long pid, String address, JsonObject body, String done)
      throws Exception {
    try {
      JsonObject ok = f.request(address, body);
      assertThat(ok.getString("state")).isEqualTo("STOPPED");
      assertThat(desiredOnDisk(vm)).as("a success means the disk has it").isEqualTo("STOPPED");
    } catch (ExecutionException e) {
      ReplyException r = (ReplyException) e.getCause();
      JsonObject s = body(r);
      assertThat(r.failureCode()).isEqualTo(507);
      assertThat(s.getString("message")).startsWith("VM '" + vm + "' " + done + " (state STOPPED), but ");
      assertThat(s.getString("state")).isEqualTo("STOPPED");
      assertThat(desiredOnDisk(vm)).isNotEqualTo("STOPPED");
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("QEMU is gone").isFalse();
    assertThat(f.request(Addresses.GET, Fixture.name(vm)).getString("state")).isEqualTo("STOPPED");
  }

  private void awaitOnDisk(String vm, String desired) throws Exception {
    if (!desired.equals(desiredOnDisk(vm))) {
      f.awaitEvent(e -> "persistence".equals(e.getString("type")) && vm.equals(e.getString("vm"))
          && e.getBoolean("inStep"), WAIT);
    }
    assertThat(desiredOnDisk(vm)).as(vm).isEqualTo(desired);
  }

  /**
   * The QMP socket watch of a start that ended is released (at once, on the actor's loop): what still holds the VM's
   * directory is the console alone (which follows its log for the VM's life), with one kernel watch.
   */
  private void awaitNoSocketWatch(String vm) throws Exception {
    awaitHolders(vm, 1);
    assertThat(io.vmsup.supervisor.link.InotifyWatches.on(vmDir(vm))).as("kernel watches on " + vm + "'s directory")
        .isEqualTo(1);
  }

  private void awaitHolders(String vm, int n) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (io.vmsup.supervisor.link.DirWatch.shared().holders(vmDir(vm)) != n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(io.vmsup.supervisor.link.DirWatch.shared().holders(vmDir(vm)))
        .as("holders of " + vm + "'s directory in the VM directory watch").isEqualTo(n);
  }

  private void restartShowsDefined(String... vms) throws Exception {
    f.close();
    f = supervisors.start(Fixture.options(state));
    for (String vm : vms) {
      assertThat(f.request(Addresses.GET, Fixture.name(vm)).getString("state")).as(vm).isEqualTo("DEFINED");
      assertThat(qemusOf(vm)).as("a stopped VM is not resurrected").isZero();
    }
  }

  private String desiredOnDisk(String vm) {
    try {
      return Files.readString(vmDir(vm).resolve("desired")).trim();
    } catch (java.io.IOException missing) {
      return "(missing: " + missing + ")";
    }
  }

  private Path vmDir(String vm) {
    return state.resolve("vms").resolve(vm);
  }

  private boolean running(String vm) throws Exception {
    return f.request(Addresses.QMP, Fixture.name(vm).put("execute", "query-status"))
        .getJsonObject("return").getBoolean("running");
  }

  private long qemusOf(String vm) {
    String needle = vmDir(vm) + "/";
    return ProcessHandle.allProcesses().filter(p -> Fixture.cmdline(p.pid()).contains(needle)).count();
  }

  private static JsonObject body(ReplyException e) {
    return new JsonObject(e.getMessage());
  }
}

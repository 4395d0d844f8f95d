package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash window between spawning QEMU and recording its pid: the intent record written before the spawn (a nonce
 * QEMU carries in its environment) lets the next daemon prove such a QEMU its own. Each test leaves the state
 * directory as a daemon killed at that instant would: a running QEMU and only the intent in {@code runtime.json}.
 */
class CrashWindowIT {

  private static final Duration T = Duration.ofSeconds(20);

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  @Test
  void aQemuWhosePidWasNeverRecordedIsAdoptedThroughItsNonce() throws Exception {
    long pid = runThenLeave("w", "on-failure");
    String nonce = runtime("w").getString("nonce");
    assertThat(environ(pid)).contains("VMSUP_INCARNATION=" + nonce);
    writeIntent("w", nonce);

    Fixture second = sup.start();
    JsonObject view = second.awaitState("w", "RUNNING", T);
    assertThat(view.getString("reason")).isEqualTo("reattached");
    JsonObject got = second.request(Addresses.GET, Fixture.name("w"));
    assertThat(got.getLong("pid")).isEqualTo(pid);
    assertThat(got.getInteger("restarts")).isZero();
    assertThat(second.request(Addresses.QMP, Fixture.name("w").put("execute", "query-status"))
        .getJsonObject("return").getBoolean("running")).isTrue();
    // the pid is recorded now, for the daemon after this one
    awaitRecordedPid("w", pid);
    assertThat(qemusOf(sup.dir())).containsExactly(pid);

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    assertThat(second.awaitState("w", "CRASHED", T).getString("reason")).isEqualTo("unexpected-exit");
  }

  @Test
  void aQemuOfAnotherIncarnationIsKilledNotLeftRunning() throws Exception {
    long pid = runThenLeave("s", "never");
    writeIntent("s", UUID.randomUUID().toString()); // the record names a newer incarnation than the QEMU that runs

    Fixture second = sup.start();
    JsonObject crash = second.awaitState("s", "CRASHED", T);
    assertThat(crash.getString("reason")).isEqualTo("start-interrupted");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("stale QEMU killed").isFalse();
    assertThat(qemusOf(sup.dir())).isEmpty();
    assertThat(second.request(Addresses.START, Fixture.name("s")).getString("state")).isEqualTo("RUNNING");
    assertThat(qemusOf(sup.dir())).hasSize(1);
  }

  @Test
  void anIntentWithoutAQemuIsAnInterruptedStartAndThePolicyStartsItOnce() throws Exception {
    Fixture first = sup.start();
    first.request(Addresses.CREATE, Fixture.spec("i", new JsonObject().put("restart", "on-failure")
        .put("backoffInitial", "1ms")));
    first.close();
    // the daemon died right after writing the intent (and desired RUNNING), before the spawn
    Files.writeString(sup.dir().resolve("vms/i/desired"), "RUNNING\n");
    writeIntent("i", UUID.randomUUID().toString());

    Fixture second = sup.start();
    assertThat(second.awaitState("i", "CRASHED", T).getString("reason")).isEqualTo("start-interrupted");
    JsonObject running = second.awaitState("i", "RUNNING", T);
    assertThat(running.getString("reason")).isEqualTo("qmp-ready");
    long pid = second.request(Addresses.GET, Fixture.name("i")).getLong("pid");
    assertThat(qemusOf(sup.dir())).containsExactly(pid);
  }

  /** Starts VM {@code name} on a supervisor that then leaves without stopping it; QEMU's pid. */
  private long runThenLeave(String name, String restart) throws Exception {
    Fixture first = sup.start();
    first.request(Addresses.CREATE, Fixture.spec(name, new JsonObject().put("restart", restart)
        .put("backoffInitial", "1ms")));
    long pid = first.request(Addresses.START, Fixture.name(name)).getLong("pid");
    first.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue();
    return pid;
  }

  private JsonObject runtime(String vm) throws Exception {
    return new JsonObject(Files.readString(sup.dir().resolve("vms/" + vm + "/runtime.json")));
  }

  /** What a daemon killed between its intent and its pid record leaves: pid 0 and the intent's nonce. */
  private void writeIntent(String vm, String nonce) throws Exception {
    Path rt = sup.dir().resolve("vms/" + vm + "/runtime.json");
    JsonObject intent = new JsonObject().put("pid", 0).put("procStartTime", 0)
        .put("qmpSocket", sup.dir().resolve("vms/" + vm + "/qmp.sock").toString())
        .put("startedAt", "2026-12-05T00:00:00Z").put("nonce", nonce);
    Files.writeString(rt, intent.encodePrettily());
  }

  private void awaitRecordedPid(String vm, long pid) throws Exception {
    for (int i = 0; i < 400; i++) {
      if (runtime(vm).getLong("pid") == pid) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(25);
    }
    throw new AssertionError("runtime.json never recorded pid " + pid + ": " + runtime(vm));
  }

  private static String environ(long pid) throws Exception {
    return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"))).replace('\0', '\n');
  }

  /** Pids of live QEMUs whose command line names {@code dir}. */
  static List<Long> qemusOf(Path dir) {
    return ProcessHandle.allProcesses().filter(p -> {
      String cmd = Fixture.cmdline(p.pid());
      return cmd.contains("qemu") && cmd.contains(dir.toString());
    }).map(ProcessHandle::pid).toList();
  }
}

package io.vmsup.supervisor.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One scenario suite run against real QEMU ({@code -machine none}) and against the QMP simulator launched the same
 * way (through the {@code qemu} setting): the supervisor's replies and the VM's event sequence must be the same, and
 * each simulated fault must draw the supervisor's reaction to the real fault it stands for.
 */
class SimulatorParityIT {

  private static final Duration T = Duration.ofSeconds(60);

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  @Test
  void aLifecycleGivesTheSameRepliesAndEventsOnQemuAndOnTheSimulator() throws Exception {
    List<String> real = lifecycle("qemu-system-x86_64", "real");
    List<String> sim = lifecycle(QmpSim.binary().toString(), "sim");
    assertThat(real).as("the scenario saw events").contains("state RUNNING->CRASHED unexpected-exit");
    assertThat(sim).isEqualTo(real);
  }

  @Test
  void aHangIsAStoppedQemuToTheSupervisorCommandsFailUnavailableAndTheLadderEndsInSigkill() throws Exception {
    List<String> real = hang("qemu-system-x86_64", "real");
    List<String> sim = hang(QmpSim.binary().toString(), "sim");
    assertThat(real).contains("steps [powerdown, quit, sigterm, sigkill]");
    assertThat(sim).isEqualTo(real);
  }

  @Test
  void slowRepliesPastTheCommandTimeoutFailUnavailableThenTheVmAnswersAgainWithoutARestart() throws Exception {
    Fixture f = sup.start(options("sim", QmpSim.binary().toString()));
    f.request(Addresses.CREATE, Fixture.spec("s", new JsonObject().put("restart", "on-failure")));
    long pid = f.request(Addresses.START, Fixture.name("s")).getLong("pid");
    f.request(Addresses.QMP, qmp("s", "x-sim-fault").put("arguments", new JsonObject().put("mode", "slow")
        .put("ms", 1500)));
    ReplyException slow = f.failure(Addresses.QMP, qmp("s", "query-status"));
    assertThat(slow.failureCode()).isEqualTo(503);
    f.failure(Addresses.QMP, qmp("s", "x-sim-fault").put("arguments", new JsonObject().put("mode", "none")));
    JsonObject again = awaitAnswer(f, "s");
    assertThat(again.getJsonObject("return").getString("status")).isEqualTo("running");
    JsonObject view = f.request(Addresses.GET, Fixture.name("s"));
    assertThat(view.getString("state")).isEqualTo("RUNNING");
    assertThat(view.getLong("pid")).isEqualTo(pid);
    assertThat(view.getInteger("restarts")).isZero();
  }

  @Test
  void dyingOnItsOwnIsACrashWithTheExitStatusAndRestartsUnderOnFailure() throws Exception {
    Fixture f = sup.start(options("sim", QmpSim.binary().toString()));
    f.request(Addresses.CREATE, Fixture.spec("d", new JsonObject().put("restart", "on-failure")
        .put("backoffInitial", "10ms")));
    long pid = f.request(Addresses.START, Fixture.name("d")).getLong("pid");
    f.awaitState("d", "RUNNING", T); // this start's own event, so that the await below sees the restart's
    f.vertx.eventBus().request(Addresses.QMP, qmp("d", "x-sim-fault").put("arguments",
        new JsonObject().put("mode", "die")));
    JsonObject crashed = f.awaitState("d", "CRASHED", T);
    assertThat(crashed.getString("reason")).isEqualTo("unexpected-exit");
    f.awaitState("d", "RUNNING", T);
    JsonObject view = f.request(Addresses.GET, Fixture.name("d"));
    assertThat(view.getLong("pid")).isNotEqualTo(pid);
    assertThat(view.getInteger("restarts")).isEqualTo(1);
  }

  private List<String> lifecycle(String binary, String dir) throws Exception {
    Fixture f = sup.start(options(dir, binary));
    List<String> out = new ArrayList<>();
    List<JsonObject> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Await.result(f.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS + ".p", m -> events.add(m.body()))
        .completion(), T);
    f.request(Addresses.CREATE, Fixture.spec("p", new JsonObject().put("restart", "never")));
    out.add("start " + f.request(Addresses.START, Fixture.name("p")).getString("state"));
    // QEMU creates the serial chardev's logfile at start: the console's and the log rotation's sweeps find it
    out.add("serial log " + java.nio.file.Files.isRegularFile(io.vmsup.config.RuntimeArgs.in(
        io.vmsup.supervisor.store.StateStore.vmDir(f.supervisor.options().stateDir(), "p")).serialLog(),
        java.nio.file.LinkOption.NOFOLLOW_LINKS));
    out.add("status " + f.request(Addresses.QMP, qmp("p", "query-status")).getJsonObject("return"));
    out.add("pause " + f.request(Addresses.PAUSE, Fixture.name("p")).getString("state"));
    out.add("resume " + f.request(Addresses.RESUME, Fixture.name("p")).getString("state"));
    out.add("reset " + f.request(Addresses.RESET, Fixture.name("p")).getString("state"));
    out.add("unknown " + f.failure(Addresses.QMP, qmp("p", "no-such-command")).failureCode());
    JsonObject stopped = f.request(Addresses.STOP, Fixture.name("p").put("graceSeconds", 0.2));
    out.add("stop " + stopped.getString("state") + " steps " + stopped.getJsonArray("steps").getList()
        + " exit " + stopped.getInteger("exitCode"));
    long pid = f.request(Addresses.START, Fixture.name("p")).getLong("pid");
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    JsonObject crashed = f.awaitState("p", "CRASHED", T);
    out.add("crash " + crashed.getString("reason"));
    out.add("delete " + f.request(Addresses.DELETE, Fixture.name("p")).encode().contains("p"));
    f.close();
    out.addAll(1, transitions(events));
    return out;
  }

  private List<String> hang(String binary, String dir) throws Exception {
    Fixture f = sup.start(options(dir, binary));
    List<String> out = new ArrayList<>();
    f.request(Addresses.CREATE, Fixture.spec("h", new JsonObject().put("restart", "never")));
    long pid = f.request(Addresses.START, Fixture.name("h")).getLong("pid");
    if (binary.startsWith("qemu")) {
      sup.stop(pid);
    } else {
      f.request(Addresses.QMP, qmp("h", "x-sim-fault").put("arguments", new JsonObject().put("mode", "hang")));
    }
    out.add("command " + f.failure(Addresses.QMP, qmp("h", "query-status")).failureCode());
    JsonObject stopped = f.request(Addresses.STOP, Fixture.name("h").put("graceSeconds", 0.2));
    out.add("state " + stopped.getString("state"));
    out.add("steps " + stopped.getJsonArray("steps").getList());
    out.add("exit " + stopped.getInteger("exitCode"));
    f.close();
    return out;
  }

  /** The VM's state transitions as "state FROM->TO reason", in publication order. */
  private static List<String> transitions(List<JsonObject> events) {
    List<String> out = new ArrayList<>();
    for (JsonObject e : events) {
      if ("state".equals(e.getString("type"))) {
        out.add("state " + e.getString("from") + "->" + e.getString("to") + " " + e.getString("reason"));
      }
    }
    return out;
  }

  private JsonObject awaitAnswer(Fixture f, String vm) throws Exception {
    for (int i = 0; ; i++) {
      try {
        return f.request(Addresses.QMP, qmp(vm, "query-status"));
      } catch (AssertionError stillSlow) {
        if (i == 100) {
          throw stillSlow;
        }
      }
    }
  }

  private io.vmsup.supervisor.api.SupervisorOptions options(String dir, String binary) {
    sup.killAlsoUnder(sup.dir().resolve(dir));
    return Fixture.options(sup.dir().resolve(dir)).withQemuBinary(binary).withCommandTimeout(Duration.ofMillis(500));
  }

  private static JsonObject qmp(String vm, String execute) {
    return Fixture.name(vm).put("execute", execute);
  }

}

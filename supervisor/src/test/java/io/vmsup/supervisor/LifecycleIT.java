package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real QEMU ({@code -machine none}) through the event-bus API: start, the stop ladder, crashes and the policy. */
class LifecycleIT {

  private static final Duration T = Duration.ofSeconds(20);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void createStartStopReachesQuitWhenNoGuestAnswersAcpi() throws Exception {
    Fixture f = supervisors.start();
    JsonObject created = f.request(Addresses.CREATE, Fixture.spec("a"));
    assertThat(created.getString("state")).isEqualTo("DEFINED");
    assertThat(Files.readString(supervisors.dir().resolve("vms/a/desired")).trim()).isEqualTo("STOPPED");

    JsonObject started = f.request(Addresses.START, Fixture.name("a"));
    assertThat(started.getString("state")).isEqualTo("RUNNING");
    long pid = started.getLong("pid");
    assertThat(Fixture.cmdline(pid)).contains(supervisors.dir().resolve("vms/a/qmp.sock").toString()).contains("-sandbox on");
    String[] stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).replaceAll("^.*\\) ", "")
        .split(" ");
    assertThat(stat[3]).as("QEMU leads its own session (setsid)").isEqualTo(Long.toString(pid));
    long parent = Long.parseLong(stat[1]);
    assertThat(Fixture.cmdline(parent)).as("QEMU is a child of the daemon's spawner").startsWith("perl -e");
    assertThat(ProcessHandle.of(parent).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
        .as("the spawner is the daemon's own child").contains(ProcessHandle.current().pid());
    assertThat(Files.readString(supervisors.dir().resolve("vms/a/desired")).trim()).isEqualTo("RUNNING");
    assertThat(new JsonObject(Files.readString(supervisors.dir().resolve("vms/a/runtime.json"))).getLong("pid")).isEqualTo(pid);
    f.awaitState("a", "STARTING", T);
    f.awaitState("a", "RUNNING", T);

    JsonObject stopped = f.request(Addresses.STOP, Fixture.name("a").put("graceSeconds", 1));
    assertThat(stopped.getJsonArray("steps").getList()).containsExactly("powerdown", "quit");
    assertThat(stopped.getString("state")).isEqualTo("STOPPED");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(f.awaitState("a", "STOPPING", T).getString("reason")).isEqualTo("stop");
    for (String step : new String[] {"powerdown", "quit"}) {
      f.awaitEvent(e -> "stop-step".equals(e.getString("type")) && step.equals(e.getString("step")), T);
    }
    JsonObject shutdown = f.awaitEvent(e -> "qmp".equals(e.getString("type"))
        && "SHUTDOWN".equals(e.getString("event")), T);
    assertThat(shutdown.getJsonObject("data").getString("reason")).isEqualTo("host-qmp-quit");
    assertThat(shutdown.getString("vm")).isEqualTo("a");
    assertThat(f.awaitState("a", "STOPPED", T).getString("reason")).isEqualTo("host-qmp-quit");
    assertThat(supervisors.dir().resolve("vms/a/runtime.json")).doesNotExist();

    assertThat(f.request(Addresses.DELETE, Fixture.name("a")).getBoolean("deleted")).isTrue();
    assertThat(f.failure(Addresses.GET, Fixture.name("a")).failureCode()).isEqualTo(404);
    assertThat(supervisors.dir().resolve("vms/a")).doesNotExist();
  }

  @Test
  void sigkillIsACrashThenRestartedUntilTheStartLimit() throws Exception {
    Fixture f = supervisors.start();
    JsonObject sup = new JsonObject().put("restart", "on-failure").put("backoffInitial", "20ms")
        .put("startLimitBurst", 2).put("startLimitInterval", "60s");
    f.request(Addresses.CREATE, Fixture.spec("c", sup));
    long pid = f.request(Addresses.START, Fixture.name("c")).getLong("pid");
    assertThat(f.awaitState("c", "STARTING", T).getString("reason")).isEqualTo("start");
    f.awaitState("c", "RUNNING", T);
    for (int round = 1; round <= 3; round++) {
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      JsonObject crash = f.awaitState("c", "CRASHED", T);
      assertThat(crash.getString("reason")).isEqualTo("unexpected-exit");
      if (round < 3) {
        assertThat(f.awaitState("c", "STARTING", T).getString("reason")).isEqualTo("restart");
        f.awaitState("c", "RUNNING", T);
        JsonObject view = f.request(Addresses.GET, Fixture.name("c"));
        assertThat(view.getInteger("restarts")).isEqualTo(round);
        assertThat(view.getLong("pid")).isNotEqualTo(pid);
        pid = view.getLong("pid");
      }
    }
    assertThat(f.awaitState("c", "FAILED", T).getString("reason")).isEqualTo("start-limit");
    assertThat(f.request(Addresses.GET, Fixture.name("c")).getString("state")).isEqualTo("FAILED");
  }

  @Test
  void aStartQemuRejectsEndsFailedWithTheLogTail() throws Exception {
    Fixture f = supervisors.start();
    // valid for the spec model, rejected by QEMU at run time
    JsonObject spec = Fixture.spec("bad").put("machine", new JsonObject().put("type", "no-such-machine"));
    f.request(Addresses.CREATE, spec);
    ReplyException e = f.failure(Addresses.START, Fixture.name("bad"));
    assertThat(e.failureCode()).isEqualTo(500);
    JsonObject body = new JsonObject(e.getMessage());
    assertThat(body.getString("error")).isEqualTo("internal");
    assertThat(body.getString("state")).isEqualTo("FAILED");
    assertThat(body.getInteger("exitCode")).isEqualTo(1);
    assertThat(String.join("\n", body.getJsonArray("logTail").getList())).contains("unsupported machine type");
    assertThat(f.awaitState("bad", "FAILED", T).getString("reason")).isEqualTo("start-failed");
    assertThat(f.request(Addresses.GET, Fixture.name("bad")).getString("state")).isEqualTo("FAILED");
  }

  @Test
  void shutdownWithStopOnShutdownStopsVmsThroughTheLadder() throws Exception {
    Fixture f = supervisors.start(supervisors.options().withStopOnShutdown(true));
    f.request(Addresses.CREATE, Fixture.spec("s", new JsonObject().put("stopGrace", "200ms")));
    long pid = f.request(Addresses.START, Fixture.name("s")).getLong("pid");
    f.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Files.readString(supervisors.dir().resolve("vms/s/desired")).trim()).isEqualTo("STOPPED");
    assertThat(supervisors.dir().resolve("vms/s/runtime.json")).doesNotExist();
  }

  @Test
  void pauseResumeResetAndQmpPassThrough() throws Exception {
    Fixture f = supervisors.start();
    java.util.concurrent.BlockingQueue<JsonObject> mine = new java.util.concurrent.LinkedBlockingQueue<>();
    Await.result(f.vertx.eventBus().<JsonObject>consumer(Addresses.events("p"), m -> mine.add(m.body()))
        .completion(), T);
    f.request(Addresses.CREATE, Fixture.spec("q"));
    f.request(Addresses.CREATE, Fixture.spec("p", new JsonObject().put("startPaused", true)));
    assertThat(f.request(Addresses.START, Fixture.name("p")).getString("state")).isEqualTo("PAUSED");
    f.request(Addresses.START, Fixture.name("q"));
    JsonObject first = mine.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.getString("vm")).isEqualTo("p");
    assertThat(first.getString("to")).isEqualTo("STARTING");
    JsonObject status = f.request(Addresses.QMP, Fixture.name("p").put("execute", "query-status"));
    assertThat(status.getJsonObject("return").getString("status")).isEqualTo("prelaunch");
    assertThat(f.request(Addresses.RESUME, Fixture.name("p")).getString("state")).isEqualTo("RUNNING");
    assertThat(f.request(Addresses.PAUSE, Fixture.name("p")).getString("state")).isEqualTo("PAUSED");
    f.awaitEvent(e -> "qmp".equals(e.getString("type")) && "STOP".equals(e.getString("event")), T);
    f.request(Addresses.RESUME, Fixture.name("p"));
    f.request(Addresses.RESET, Fixture.name("p"));
    f.awaitEvent(e -> "qmp".equals(e.getString("type")) && "RESET".equals(e.getString("event")), T);
    ReplyException notAnObject = f.failure(Addresses.QMP, Fixture.name("p").put("execute", "query-status")
        .put("arguments", "x"));
    assertThat(notAnObject.failureCode()).as(notAnObject.getMessage()).isEqualTo(400);
    ReplyException bad = f.failure(Addresses.QMP, Fixture.name("p").put("execute", "no-such-command"));
    assertThat(bad.failureCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.getMessage()).getString("qmpClass")).isEqualTo("CommandNotFound");
    assertThat(f.failure(Addresses.START, Fixture.name("p")).failureCode()).isEqualTo(409);
    assertThat(f.failure(Addresses.DELETE, Fixture.name("p")).failureCode()).isEqualTo(409);
    JsonObject killed = f.request(Addresses.KILL, Fixture.name("p"));
    assertThat(killed.getJsonArray("steps").getList()).containsExactly("kill");
    assertThat(killed.getString("state")).isEqualTo("STOPPED");
    assertThat(mine).allSatisfy(e -> assertThat(e.getString("vm")).isEqualTo("p"));
    assertThat(mine).anySatisfy(e -> assertThat(e.getString("to")).isEqualTo("PAUSED"));
  }
  @Test
  void pauseAndResumeRequestsAreTheReasonOfTheirStateEvents() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("pr"));
    f.request(Addresses.START, Fixture.name("pr"));
    assertThat(f.request(Addresses.PAUSE, Fixture.name("pr")).getString("reason")).isEqualTo("pause");
    assertThat(f.awaitState("pr", "PAUSED", T).getString("reason")).isEqualTo("pause");
    assertThat(f.request(Addresses.RESUME, Fixture.name("pr")).getString("reason")).isEqualTo("resume");
    assertThat(f.awaitState("pr", "RUNNING", T).getString("reason")).isEqualTo("qmp-ready");
    assertThat(f.awaitState("pr", "RUNNING", T).getString("reason")).isEqualTo("resume");
    // the same QMP commands through the pass-through are not requests of ours
    f.request(Addresses.QMP, Fixture.name("pr").put("execute", "stop"));
    assertThat(f.awaitState("pr", "PAUSED", T).getString("reason")).isEqualTo("qmp-stop");
    f.request(Addresses.QMP, Fixture.name("pr").put("execute", "cont"));
    assertThat(f.awaitState("pr", "RUNNING", T).getString("reason")).isEqualTo("qmp-resume");
  }
  @Test
  void aStopWithABadGraceIsInvalidAtOnce() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("g"));
    f.request(Addresses.START, Fixture.name("g"));
    for (Object bad : new Object[] {"soon", -1, Double.NaN}) {
      ReplyException e = f.failure(Addresses.STOP, Fixture.name("g").put("graceSeconds", bad));
      assertThat(e.failureCode()).as("graceSeconds %s: %s", bad, e.getMessage()).isEqualTo(400);
    }
    assertThat(f.request(Addresses.GET, Fixture.name("g")).getString("state")).isEqualTo("RUNNING");
  }
  @Test
  void shutdownWithStopOnShutdownAlsoStopsAVmThatIsStillStarting() throws Exception {
    Fixture f = supervisors.start(supervisors.options().withStopOnShutdown(true));
    f.request(Addresses.CREATE, Fixture.spec("st", new JsonObject().put("stopGrace", "200ms")));
    var start = f.vertx.eventBus().<JsonObject>request(Addresses.START, Fixture.name("st"));
    f.awaitState("st", "STARTING", T);
    f.close();
    String needle = supervisors.dir().resolve("vms/st").toString();
    assertThat(ProcessHandle.allProcesses().filter(p -> p.isAlive() && Fixture.cmdline(p.pid()).contains(needle)))
        .as("QEMU of a VM stopped at shutdown").isEmpty();
    assertThat(Files.readString(supervisors.dir().resolve("vms/st/desired")).trim()).isEqualTo("STOPPED");
    assertThat(start.isComplete()).isTrue();
  }
}

package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.bench.QmpCut;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real QEMU: the QMP connection closing on our side while QEMU is healthy is not a crash. The supervisor reconnects,
 * keeps the state and the pid, and a later real death is still a crash.
 */
class QmpReconnectIT {

  private static final Duration T = Duration.ofSeconds(20);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void ourQmpCloseOnAHealthyQemuReconnectsWithoutCrashOrRestart() throws Exception {
    Fixture f = supervisors.start();
    BlockingQueue<JsonObject> mine = new LinkedBlockingQueue<>();
    Await.result(f.vertx.eventBus().<JsonObject>consumer(Addresses.events("r"), m -> mine.add(m.body()))
        .completion(), T);
    f.request(Addresses.CREATE, Fixture.spec("r", new JsonObject().put("restart", "always")
        .put("backoffInitial", "20ms")));
    long pid = f.request(Addresses.START, Fixture.name("r")).getLong("pid");
    f.awaitState("r", "RUNNING", T);
    mine.clear();

    java.util.Set<Long> cut = QmpCut.cut(f.qmpSocket("r"));
    assertThat(cut).hasSize(1);
    JsonObject back = f.awaitEvent(e -> "qmp-reconnected".equals(e.getString("type"))
        && "r".equals(e.getString("vm")), T);
    assertThat(back.getString("state")).isEqualTo("RUNNING");
    assertThat(back.getLong("pid")).isEqualTo(pid);

    JsonObject view = f.request(Addresses.GET, Fixture.name("r"));
    assertThat(view.getString("state")).isEqualTo("RUNNING");
    assertThat(view.getLong("pid")).isEqualTo(pid);
    assertThat(view.getInteger("restarts")).isZero();
    JsonObject status = f.request(Addresses.QMP, Fixture.name("r").put("execute", "query-status"));
    assertThat(status.getJsonObject("return").getString("status")).isEqualTo("running");
    assertThat(QmpCut.connections(f.qmpSocket("r"))).hasSize(1).doesNotContainAnyElementsOf(cut);
    List<JsonObject> seen = new ArrayList<>(mine);
    assertThat(seen).noneSatisfy(e -> assertThat(e.getString("type")).isEqualTo("state"));

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    JsonObject crash = f.awaitState("r", "CRASHED", T);
    assertThat(crash.getString("reason")).isEqualTo("unexpected-exit");
  }

  @Test
  void anAdoptedPausedVmIsReconnectedToo() throws Exception {
    Fixture first = supervisors.start();
    try {
      first.request(Addresses.CREATE, Fixture.spec("a", new JsonObject().put("startPaused", true)));
      assertThat(first.request(Addresses.START, Fixture.name("a")).getString("state")).isEqualTo("PAUSED");
    } finally {
      first.close();
    }
    Fixture f = supervisors.start();
    JsonObject adopted = f.request(Addresses.GET, Fixture.name("a"));
    assertThat(adopted.getString("reason")).isEqualTo("reattached");
    long pid = adopted.getLong("pid");

    assertThat(QmpCut.cut(f.qmpSocket("a"))).hasSize(1);
    JsonObject back = f.awaitEvent(e -> "qmp-reconnected".equals(e.getString("type")), T);
    assertThat(back.getString("state")).isEqualTo("PAUSED");
    assertThat(back.getLong("pid")).isEqualTo(pid);
    JsonObject status = f.request(Addresses.QMP, Fixture.name("a").put("execute", "query-status"));
    assertThat(status.getJsonObject("return").getString("status")).isEqualTo("prelaunch");
    assertThat(f.request(Addresses.GET, Fixture.name("a")).getString("state")).isEqualTo("PAUSED");

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    assertThat(f.awaitState("a", "CRASHED", T).getString("reason")).isEqualTo("unexpected-exit");
  }

  @Test
  void aHungQemuWhoseQmpClosedIsCrashedQmpLostAndKilled() throws Exception {
    Fixture f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("h"));
    long pid = f.request(Addresses.START, Fixture.name("h")).getLong("pid");
    supervisors.stop(pid);
    assertThat(QmpCut.cut(f.qmpSocket("h"))).hasSize(1);
    JsonObject crash = f.awaitState("h", "CRASHED", Duration.ofSeconds(30));
    assertThat(crash.getString("reason")).isEqualTo("qmp-lost");
    Await.result(Future.fromCompletionStage(ProcessHandle.of(pid).map(ProcessHandle::onExit)
        .orElse(java.util.concurrent.CompletableFuture.completedFuture(null))), T);
  }
}

package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Scope;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stop's gate on a real event bus: before the stop every request is delivered; after it a request a transport
 * stamped (it carries a scope) is answered 503 "the daemon is stopping" and never reaches its handler, while the
 * daemon's own requests, replies and events still go.
 */
class StoppingGateTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void afterTheStopRequestsFromOutsideAreRefusedAndNothingOfThemRuns() throws Exception {
    StoppingGate gate = StoppingGate.install(vertx);
    List<String> ran = new CopyOnWriteArrayList<>();
    Await.result(vertx.eventBus().<JsonObject>consumer("vmsup.vm.qmp", m -> {
      ran.add(m.body().getString("name"));
      m.reply(new JsonObject().put("return", new JsonObject()));
    }).completion());
    List<String> events = new CopyOnWriteArrayList<>();
    Await.result(vertx.eventBus().consumer("vmsup.events", m -> events.add(String.valueOf(m.body()))).completion());
    DeliveryOptions outside = new DeliveryOptions().addHeader(Scope.HEADER, "admin");

    Await.result(vertx.eventBus().request("vmsup.vm.qmp", new JsonObject().put("name", "before"), outside));
    gate.stop();
    Throwable refused = Await.failure(vertx.eventBus().request("vmsup.vm.qmp", new JsonObject().put("name", "after"),
        outside));
    assertThat(refused).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) refused).failureCode()).isEqualTo(503);
    assertThat(refused.getMessage()).contains("the daemon is stopping");
    // the daemon's own request (no scope: nothing stamped it) still runs, and events still go out
    Await.result(vertx.eventBus().request("vmsup.vm.qmp", new JsonObject().put("name", "own")));
    vertx.eventBus().publish("vmsup.events", "e");
    Await.result(vertx.eventBus().request("vmsup.vm.qmp", new JsonObject().put("name", "own2")));
    assertThat(ran).containsExactly("before", "own", "own2");
    Await.until("the event delivered", () -> events.contains("e"), java.time.Duration.ofSeconds(30));
    Await.result(StoppingGate.replied(vertx));
  }
}

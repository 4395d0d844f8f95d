package io.vmsup.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream over a real event bus: a message it cannot read goes to the exception handler and the stream goes on;
 * a paused stream delivers what it buffered once fetched; closing it ends it.
 */
class EventStreamTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static JsonObject state(String to) {
    return new JsonObject().put("type", "state").put("vm", "a").put("from", "STARTING").put("to", to)
        .put("reason", "r").put("timestamp", "2026-12-06T01:00:00Z");
  }

  @Test
  void anUnreadableEventIsReportedAndTheStreamGoesOn() throws Exception {
    VmsupClient client = VmsupClient.create(vertx, ClientOptions.defaults());
    List<VmEvent> events = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    EventStream<VmEvent> stream = client.events("a").exceptionHandler(errors::add).handler(events::add)
        .endHandler(v -> ended.complete(null));
    stream.registered().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    stream.pause();

    vertx.eventBus().publish("vmsup.events.a", "not an object");
    vertx.eventBus().publish("vmsup.events.a", new JsonObject().put("type", "state").put("vm", "a"));
    vertx.eventBus().publish("vmsup.events.a", state("RUNNING"));
    vertx.eventBus().publish("vmsup.events.a", state("PAUSED"));
    stream.fetch(3);
    waitUntil(() -> errors.size() == 2 && events.size() == 1);
    stream.fetch(1);
    waitUntil(() -> events.size() == 2);

    assertThat(events).extracting(e -> ((StateEvent) e).to()).containsExactly(VmState.RUNNING, VmState.PAUSED);
    assertThat(errors).allMatch(e -> e instanceof VmsupException v && v.code() == ErrorCode.INTERNAL)
        .extracting(Throwable::getMessage).allMatch(m -> m.startsWith("unreadable message on vmsup.events.a"));
    stream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ended.get(10, TimeUnit.SECONDS);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      Thread.sleep(10);
    }
  }
}

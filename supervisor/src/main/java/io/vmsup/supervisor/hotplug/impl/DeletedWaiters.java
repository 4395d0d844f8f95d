package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Waiters for {@code DEVICE_DELETED}, keyed by device id. Register before sending {@code device_del}: the event may
 * arrive before its reply (qmp-spec: events can come between any two messages). Confined to the actor's context.
 */
final class DeletedWaiters {

  private final Vertx vertx;
  private final Map<String, Promise<Boolean>> waiting = new HashMap<>();

  DeletedWaiters(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Completes with true once {@code DEVICE_DELETED} names {@code id}, false after {@code timeout}. */
  Future<Boolean> register(String id, Duration timeout) {
    Promise<Boolean> p = Promise.promise();
    waiting.put(id, p);
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
      if (waiting.get(id) == p) {
        waiting.remove(id);
      }
      p.tryComplete(false);
    });
    return p.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** Forgets a waiter (its {@code device_del} failed). */
  void cancel(String id) {
    Promise<Boolean> p = waiting.remove(id);
    if (p != null) {
      p.tryComplete(false);
    }
  }

  void onEvent(JsonObject event) {
    if (!"DEVICE_DELETED".equals(event.getString("event"))) {
      return;
    }
    JsonObject data = event.getJsonObject("data", new JsonObject());
    String id = data.getString("device");
    Promise<Boolean> p = id == null ? null : waiting.remove(id);
    if (p != null) {
      p.tryComplete(true);
    }
  }
}

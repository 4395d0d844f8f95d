package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Waiters for {@code DEVICE_DELETED}, keyed by device id. Register before sending {@code device_del}: the event may
 * arrive before its reply (qmp-spec: events can come between any two messages). Confined to the actor's context.
 *
 * <p>An event names the device by {@code device} (its id) or only by {@code path}. QEMU 7.2 unplugging an x86 CPU
 * sends {@code DEVICE_DELETED} for the CPU's child {@code /machine/peripheral/<id>/lapic} only, never for the CPU
 * itself (seen here; the slot is free in {@code query-hotpluggable-cpus} right after): a waiter that accepts
 * children completes on that.
 */
final class DeletedWaiters {

  private final Vertx vertx;
  private static final String PERIPHERAL = "/machine/peripheral/";

  private record Waiter(Promise<Boolean> promise, boolean children) {
  }

  private final Map<String, Waiter> waiting = new HashMap<>();

  DeletedWaiters(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Completes with true once {@code DEVICE_DELETED} names {@code id} (or, with {@code children}, a device below it),
   * false after {@code timeout}.
   */
  Future<Boolean> register(String id, boolean children, Duration timeout) {
    Promise<Boolean> p = Promise.promise();
    Waiter w = new Waiter(p, children);
    waiting.put(id, w);
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
      if (waiting.get(id) == w) {
        waiting.remove(id);
      }
      p.tryComplete(false);
    });
    return p.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** Forgets a waiter (its {@code device_del} failed). */
  void cancel(String id) {
    Waiter w = waiting.remove(id);
    if (w != null) {
      w.promise().tryComplete(false);
    }
  }

  void onEvent(QmpEvent event) {
    if (!"DEVICE_DELETED".equals(event.name())) {
      return;
    }
    JsonObject data = event.data();
    String id = data.getString("device");
    String path = data.getString("path", "");
    if (id == null && path.startsWith(PERIPHERAL)) {
      String rest = path.substring(PERIPHERAL.length());
      int slash = rest.indexOf('/');
      id = slash < 0 ? rest : rest.substring(0, slash);
      Waiter w = waiting.get(id);
      if (slash >= 0 && (w == null || !w.children())) {
        return;
      }
    }
    Waiter w = id == null ? null : waiting.remove(id);
    if (w != null) {
      w.promise().tryComplete(true);
    }
  }
}

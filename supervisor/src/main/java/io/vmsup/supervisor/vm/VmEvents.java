package io.vmsup.supervisor.vm;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmState;
import java.time.Clock;
import java.time.Instant;

/**
 * The events one VM publishes, on {@link Addresses#EVENTS} and {@link Addresses#events(String)}; the one place that
 * writes their JSON ({@code docs/event-bus-api.md} documents each {@code "type"}).
 */
final class VmEvents {

  private final Vertx vertx;
  private final String vm;
  private final Clock clock;

  VmEvents(Vertx vertx, String vm, Clock clock) {
    this.vertx = vertx;
    this.vm = vm;
    this.clock = clock;
  }

  /** Publishes {@code event} as it is (a record keeper's status event). */
  void publish(JsonObject event) {
    EventBus bus = vertx.eventBus();
    bus.publish(Addresses.EVENTS, event);
    bus.publish(Addresses.events(vm), event);
  }

  /** {@code "type":"state"}. */
  void transition(Transition t) {
    publish(t.toJson());
    VmCore.LOG.fine(() -> t.vm() + ": " + t.from() + " -> " + t.to() + " (" + t.reason() + ")");
  }

  /** {@code "type":"qmp"}: one QMP event of the VM, at QEMU's timestamp (now when QEMU sent none). */
  void qmp(QmpEvent e) {
    Instant ts = e.hasTimestamp() ? e.timestamp() : clock.instant();
    publish(typed("qmp").put("event", e.name()).put("data", e.data()).put("timestamp", ts.toString()));
  }

  /** {@code "type":"stop-step"}: the stop ladder takes {@code step}. */
  void stopStep(Reason step) {
    publish(typed("stop-step").put("step", step.json()).put("timestamp", clock.instant().toString()));
  }

  /** {@code "type":"responsive"}: QEMU answers again, or was stopped by a signal. */
  void responsive(long pid, boolean now, VmState state) {
    publish(typed("responsive").put("pid", pid).put("responsive", now).put("state", state.json())
        .put("timestamp", clock.instant().toString()));
  }

  /** {@code "type":"qmp-reconnected"}: QMP was lost and connected again while QEMU lived. */
  void qmpReconnected(long pid, VmState state) {
    publish(typed("qmp-reconnected").put("pid", pid).put("state", state.json())
        .put("timestamp", clock.instant().toString()));
  }

  /**
   * {@code "type":"qmp-peer-refused"}: the VM's QMP socket was served by another process than its QEMU
   * {@code pid}; the connection was refused before a byte was read.
   */
  void qmpPeerRefused(long pid, String socket, String detail) {
    publish(typed("qmp-peer-refused").put("pid", pid).put("socket", socket).put("detail", detail)
        .put("timestamp", clock.instant().toString()));
  }

  /**
   * {@code "type":"start-queue"}: the start waits behind {@code ahead} others ({@code "queued":true}), or its turn came
   * ({@code "queued":false}, after {@code waitedMs}; every start gets this one, before its QEMU is spawned).
   */
  void startQueue(boolean queued, int ahead, int limit, long waitedMs) {
    JsonObject e = typed("start-queue").put("queued", queued).put("limit", limit);
    if (queued) {
      e.put("ahead", ahead);
    } else {
      e.put("waitedMs", waitedMs);
    }
    publish(e.put("timestamp", clock.instant().toString()));
  }

  /** {@code "type":"tainted"}: a dangerous pass-through command ran. */
  void tainted(String command, String reason) {
    publish(typed("tainted").put("command", command).put("reason", reason)
        .put("timestamp", clock.instant().toString()));
  }

  private JsonObject typed(String type) {
    return new JsonObject().put("type", type).put("vm", vm);
  }
}

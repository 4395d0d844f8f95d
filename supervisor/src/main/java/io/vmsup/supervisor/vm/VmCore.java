package io.vmsup.supervisor.vm;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PciPlans;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.supervisor.spec.VmDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The state of one VM, confined to its actor's context: the state machine, the current QEMU run, restart
 * bookkeeping. Publishes every transition and QMP event, and refreshes the VM's snapshot in the shared table.
 */
final class VmCore {

  static final Logger LOG = Logger.getLogger("io.vmsup.supervisor.vm");
  /** The name of the shared one-thread pool of liveness probes. */
  static final String PROBER_POOL = "vmsup-liveness";

  final Vertx vertx;
  final Context context;
  final VmDeps deps;
  /** Replaced when a hot-plug changes the spec (the name and supervision rules never change). */
  VmDefinition def;
  final RuntimeArgs paths;
  final VmStateMachine sm;
  final RestartTracker restarts;
  Incarnation run;
  /** The VM's stored record; every state write goes through it (set by the actor before any command). */
  io.vmsup.supervisor.store.RecordKeeper record;
  JsonObject lastShutdown;
  boolean stopping;
  /** {@code pause} or {@code resume} while that request's QMP command is in flight, else null. */
  String requested;
  long restartTimer = -1;
  Instant runningSince;
  Duration lastStartDuration;
  Integer exitCode;
  String qemuVersion;
  /** The grants of the running QEMU's own uid ({@code qemuUids}), null when none or unknown (adopted). */
  io.vmsup.supervisor.launch.Confinement confinement;
  /** The current run's cgroup, null without one (cgroups off, or an adopted QEMU found in none). */
  io.vmsup.supervisor.cgroup.VmCgroup cgroup;
  /** Completes once the last run's cgroup is removed: the next start makes the same directories afresh. */
  io.vertx.core.Future<?> cgroupRetired = io.vertx.core.Future.succeededFuture();
  /** Dangerous pass-through commands this VM received ({@code {"at","command","reason"}}), persisted. */
  JsonArray taint = new JsonArray();
  /** Set when the actor is undeployed: late callbacks must not resurrect the VM's snapshot. */
  boolean retired;
  /** False while the last probe saw QEMU stopped by a signal (SIGSTOP): shown as {@code responsive} in the view. */
  boolean responsive = true;
  /**
   * The supervision worker: one thread shared by every VM of the daemon, used only for liveness probes, so neither
   * a busy worker pool (file I/O, HTTP) nor anything else can delay the evidence.
   */
  final WorkerExecutor prober;

  VmCore(Vertx vertx, Context context, VmDeps deps, VmDefinition def) {
    this.vertx = vertx;
    this.context = context;
    this.deps = deps;
    this.def = def;
    this.paths = RuntimeArgs.in(deps.store().vmDir(def.name()));
    this.prober = vertx.createSharedWorkerExecutor(PROBER_POOL, 1);
    this.sm = new VmStateMachine(def.name(), deps.clock(), this::published);
    var r = def.rules();
    this.restarts = new RestartTracker(r.backoffInitial(), r.backoffMax(), r.backoffReset(), r.startLimitBurst(),
        r.startLimitInterval());
  }

  String name() {
    return def.name();
  }

  Instant now() {
    return deps.clock().instant();
  }

  private void published(Transition t) {
    refresh();
    publish(t.toJson());
    LOG.fine(() -> t.vm() + ": " + t.from() + " -> " + t.to() + " (" + t.reason() + ")");
  }

  void publish(JsonObject event) {
    EventBus bus = vertx.eventBus();
    bus.publish(Addresses.EVENTS, event);
    bus.publish(Addresses.events(name()), event);
  }

  /** Publishes one QMP event of this VM ({@code "type":"qmp"}). */
  void publishQmp(JsonObject e) {
    long micros = e.getLong("timestamp", 0L);
    Instant ts = micros < 0 ? now() : Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    publish(new JsonObject().put("type", "qmp").put("vm", name()).put("event", e.getString("event"))
        .put("data", e.getJsonObject("data", new JsonObject())).put("timestamp", ts.toString()));
  }

  /** Replaces this VM's snapshot in the shared table. */
  void refresh() {
    if (retired) {
      return;
    }
    deps.table().put(name(), handle());
  }

  VmHandle handle() {
    boolean live = run != null && sm.state().hasProcess();
    return new VmHandle(name(), sm.state(), sm.reason(), sm.since(), live ? run.pid() : 0,
        live && run.qmp() != null ? run.qmp().client() : null, restarts.restarts(), qemuVersion, lastStartDuration,
        live ? run.startedAt() : null, exitCode, def.json(), taint.copy(), responsive,
        record == null || record.inStep() ? null : record.status().copy(),
        def.layout().map(l -> new JsonObject(PciPlans.toJson(l))).orElse(null));
  }

  JsonObject view() {
    return handle().toJson();
  }

  void cancelRestart() {
    if (restartTimer >= 0) {
      vertx.cancelTimer(restartTimer);
      restartTimer = -1;
    }
  }
}

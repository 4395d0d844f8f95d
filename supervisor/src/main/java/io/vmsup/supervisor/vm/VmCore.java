package io.vmsup.supervisor.vm;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PciPlans;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.api.SpecVersion;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.SupervisorOptions;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.link.QmpLink;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.store.RecordKeeper;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The state of one VM, confined to its actor's context: the state machine, the current QEMU run, restart
 * bookkeeping. Every change goes through a method that says what happened; each refreshes the VM's snapshot in the
 * shared table where the view changes, and every transition is published ({@link VmEvents}).
 */
final class VmCore {

  static final Logger LOG = Logger.getLogger("io.vmsup.supervisor.vm");
  /** The name of the shared one-thread pool of liveness probes. */
  static final String PROBER_POOL = "vmsup-liveness";

  private final Context context;
  private final VmDeps deps;
  private final RuntimeArgs paths;
  private final VmStateMachine sm;
  private final PendingRestart restarts;
  private final VmEvents events;
  private final ReasonClues clues;
  private final RunConfinement confinement = new RunConfinement();
  /**
   * The supervision worker: one thread shared by every VM of the daemon, used only for liveness probes, so neither
   * a busy worker pool (file I/O, HTTP) nor anything else can delay the evidence.
   */
  private final WorkerExecutor prober;
  /** Replaced when a hot-plug or a replace changes the spec (the name never changes). */
  private VmDefinition def;
  /** The version of {@code def}'s spec ({@link SpecVersion}), computed once per spec. */
  private String specVersion;
  private Incarnation run;
  private final RecordKeeper record;
  private Duration lastStartDuration;
  private Integer exitCode;
  private String qemuVersion;
  private final VmSnapshot snapshot;

  /** @param record the VM's stored record; every state write goes through it */
  VmCore(Context context, VmDeps deps, VmDefinition def, RecordKeeper record) {
    this.context = context;
    this.deps = deps;
    this.def = def;
    this.specVersion = SpecVersion.of(def.json());
    this.record = record;
    this.paths = RuntimeArgs.in(deps.store().vmDir(def.name()));
    this.prober = context.owner().createSharedWorkerExecutor(PROBER_POOL, 1);
    this.events = new VmEvents(context.owner(), def.name(), deps.clock());
    this.clues = new ReasonClues(def.name());
    this.snapshot = new VmSnapshot(def.name(), deps.table(), this::handle);
    this.sm = new VmStateMachine(def.name(), deps.clock(), t -> {
      refresh();
      events.transition(t);
    });
    this.restarts = new PendingRestart(context.owner(), def.rules());
  }

  String name() {
    return def.name();
  }

  Instant now() {
    return deps.clock().instant();
  }

  Vertx vertx() {
    return context.owner();
  }

  Context context() {
    return context;
  }

  VmDeps deps() {
    return deps;
  }

  SupervisorOptions options() {
    return deps.options();
  }

  RuntimeArgs paths() {
    return paths;
  }

  WorkerExecutor prober() {
    return prober;
  }

  VmEvents events() {
    return events;
  }

  /** The automatic restarts: their count and backoff, and the one scheduled. */
  PendingRestart restarts() {
    return restarts;
  }

  /** The version of the current spec ({@link SpecVersion}). */
  String specVersion() {
    return specVersion;
  }

  /** The VM's stored record; every state write goes through it. */
  RecordKeeper record() {
    return record;
  }

  VmDefinition definition() {
    return def;
  }

  /** A changed spec (hot-plug) or PCI layout: the daemon's copy and the view follow at once. */
  void redefine(VmDefinition definition) {
    if (definition.json() != def.json()) {
      specVersion = SpecVersion.of(definition.json());
    }
    this.def = definition;
    // a replaced spec may bring other restart backoff rules: they apply from the next crash on
    restarts.rules(definition.rules());
    refresh();
  }

  VmState state() {
    return sm.state();
  }

  Reason reason() {
    return sm.reason();
  }

  /** True when the state is one of {@code states}. */
  boolean in(VmState... states) {
    return sm.in(states);
  }

  /** RUNNING or PAUSED: a QEMU runs and is known to. */
  boolean isUp() {
    return in(VmState.RUNNING, VmState.PAUSED);
  }

  void moveTo(VmState to, Reason why) {
    sm.moveTo(to, why);
  }

  boolean canMoveTo(VmState to) {
    return sm.canMoveTo(to);
  }

  /** @throws VmException CONFLICT unless the state is one of {@code states} */
  void require(String command, VmState... states) {
    sm.require(command, states);
  }

  /** The current QEMU run, null before the first spawn or adoption. */
  Incarnation run() {
    return run;
  }

  boolean isCurrent(Incarnation candidate) {
    return candidate == run;
  }

  /** A start begins: nothing of the last run is carried over (the view shows no pid until the spawn). */
  void beginStart() {
    run = null;
    clues.clear();
    exitCode = null;
    refresh();
  }

  /** {@code next} is the VM's QEMU from now on (spawned or adopted). */
  void runs(Incarnation next) {
    run = next;
    refresh();
  }

  /** QMP answered its first command on {@code link}; {@code took} is spawn → ready (null for an adopted QEMU). */
  void ready(QmpLink link, Duration took) {
    if (took != null) {
      lastStartDuration = took;
    }
    restarts.ranSince(now());
    qemuVersion = link.qemuVersion();
  }

  /** QMP was connected again; the version is learnt if the first connection never told it. */
  void reconnected(QmpLink link) {
    if (qemuVersion == null) {
      qemuVersion = link.qemuVersion();
    }
    refresh();
  }

  /** {@code gone}'s exit code, once it was reaped. */
  void exited(Incarnation gone) {
    exitCode = gone.exitCode().orElse(null);
    refresh();
  }

  Integer exitCode() {
    return exitCode;
  }

  /**
   * A typed command of qmp-client on the current QEMU, answered within {@code timeout}.
   *
   * @return fails CONFLICT when there is no QMP connection, else as {@link QmpLink#execute}
   */
  <T> Future<T> qmp(QmpCommand<T> command, Duration timeout) {
    return run == null || run.qmp() == null
        ? Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + name() + "' has no QMP connection"))
        : run.qmp().execute(command, timeout);
  }

  /** What names the reason when QEMU makes a transition: its SHUTDOWN cause, the operator's verb in flight. */
  ReasonClues clues() {
    return clues;
  }

  /** What confines the current run: its uid's grants, its cgroup. */
  RunConfinement confinement() {
    return confinement;
  }

  /** The VM's entry in the shared table, its taint and responsiveness, and whether the actor retired. */
  VmSnapshot snapshot() {
    return snapshot;
  }

  /** Replaces this VM's entry in the shared table (nothing once the actor retired). */
  void refresh() {
    snapshot.refresh();
  }

  VmHandle handle() {
    boolean live = run != null && sm.state().hasProcess();
    return new VmHandle(name(), sm.state(), sm.reason(), sm.since(), live ? run.pid() : 0,
        restarts.tracker().restarts(), qemuVersion, lastStartDuration,
        live ? run.startedAt() : null, exitCode, def.json(), snapshot.taint().copy(), snapshot.responsive(),
        record.inStep() ? null : record.status().copy(),
        def.layout().map(l -> new JsonObject(PciPlans.toJson(l))).orElse(null), specVersion);
  }

  JsonObject view() {
    return handle().toJson();
  }
}

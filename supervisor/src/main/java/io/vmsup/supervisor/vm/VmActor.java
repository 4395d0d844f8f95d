package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PciPlans;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.PassThroughTargets;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.hotplug.Hotplug;
import io.vmsup.supervisor.image.DiskOps;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.store.Desired;
import io.vmsup.supervisor.store.RecordKeeper;
import io.vmsup.supervisor.store.RuntimeRecord;
import io.vmsup.supervisor.store.StoredVm;

/**
 * One VM's actor: owns its QEMU process, QMP link and timers on its own context, so a hung VM only slows itself.
 * Receives the registry's forwarded requests on {@link #address(String)} with the command in the {@code op} header,
 * and the requests the registry hands over ({@link #answer}), which it answers to their caller itself; once deployed,
 * also the QMP pass-through on its own public address ({@link Addresses#passThrough}, single host).
 */
public final class VmActor extends VerticleBase {

  /** The header that names the forwarded request's {@link Op#verb()}. */
  public static final String OP_HEADER = "op";

  private static final String PREFIX = "vmsup.internal.vm.";

  private final VmDeps deps;
  private final VmDefinition def;
  private final StoredVm stored;
  private final Candidates candidates;
  /** A new VM's start intent, written with its first records (a create-and-start), or null. */
  private final RuntimeRecord firstStart;
  private VmCore vm;
  private StartFlow starter;
  private ExitPolicy exits;
  private StopLadder ladder;
  private Hotplug hotplug;
  private DiskOps disks;
  private VmCommands commands;
  private SpecReplace replace;
  private MessageConsumer<JsonObject> consumer;
  private VmQueries queries;
  /** Set when the actor is undeployed (its VM deleted): a request handed over after that finds no VM. */
  private boolean retired;

  /**
   * @param stored     the VM as found in the state directory at daemon start (null for a new VM)
   * @param candidates QEMU processes running at daemon start, to spot ones we cannot prove ours
   */
  public VmActor(VmDeps deps, VmDefinition def, StoredVm stored, Candidates candidates) {
    this(deps, def, stored, candidates, null);
  }

  /**
   * @param firstStart a new VM's start intent ({@code stored} null), on disk with its records and desired RUNNING
   *                   (a create-and-start): the VM's first start uses it instead of writing its own
   */
  public VmActor(VmDeps deps, VmDefinition def, StoredVm stored, Candidates candidates, RuntimeRecord firstStart) {
    this.deps = deps;
    this.def = def;
    this.stored = stored;
    this.candidates = candidates;
    this.firstStart = stored == null ? firstStart : null;
  }

  /** The internal address of one VM's actor. */
  public static String address(String name) {
    return PREFIX + name;
  }

  @Override
  public Future<?> start() {
    RecordKeeper record = new RecordKeeper(vertx, deps.store(), def.name(), def.json().encodePrettily(),
        def.layout().map(PciPlans::toJson).orElse(null), firstStart != null ? Desired.RUNNING
            : stored == null ? Desired.STOPPED : stored.desired(), stored == null ? firstStart : stored.runtime(),
        RecordKeeper.RETRY, e -> {
          vm.refresh(); // the view's "persisted" changes with it
          vm.events().publish(e);
        });
    vm = new VmCore(context, deps, def, record);
    exits = new ExitPolicy(vm, () -> starter, this::onQmpEvent);
    starter = new StartFlow(vm, this::onQmpEvent, this::watch, firstStart);
    ladder = new StopLadder(vm);
    hotplug = Hotplug.create(vertx, new HotplugBinding(vm), deps.options());
    disks = new DiskOps(new DiskBinding(vm));
    QmpPassthrough passthrough = new QmpPassthrough(vm);
    commands = new VmCommands(vm, starter, ladder, passthrough);
    replace = new SpecReplace(vm);
    vm.refresh();
    consumer = vertx.eventBus().localConsumer(address(def.name()), this::handle);
    Future<Void> registered = consumer.completion().compose(v -> passthrough.load());
    queries = new VmQueries(vm);
    if (stored == null) {
      return registered.compose(v -> takePassThrough()).onSuccess(v -> deps.table().openQueries(def.name(), queries));
    }
    return registered
        .compose(v -> new Recovery(vm, exits, this::onQmpEvent, this::watch).recover(stored, candidates))
        .onSuccess(v -> finishInterruptedStop())
        .compose(v -> takePassThrough())
        .onSuccess(v -> deps.table().openQueries(def.name(), queries));
  }

  /**
   * The VM's own pass-through address ({@link Addresses#passThrough}), once the actor is ready (after recovery, as the
   * registry hands over only to a deployed actor): a request there is answered here without the registry's thread.
   * Unregistered with the actor, so a request for a deleted VM finds no handler and its sender asks the registry. Not
   * in a fleet, where the directory says where a VM runs ({@link Addresses#QMP} through the fleet router).
   */
  private Future<Void> takePassThrough() {
    if (vertx.isClustered()) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<Object>localConsumer(Addresses.passThrough(def.name()), this::passThrough)
        .completion().onSuccess(v -> PassThroughTargets.mark(vertx, def.name()));
  }

  @SuppressWarnings("unchecked")
  private void passThrough(Message<Object> caller) {
    // a public address (the bridges offer it): any body may come, not only an object
    if (!(caller.body() instanceof JsonObject body) || !def.name().equals(body.getValue("name"))) {
      // the address names the VM: a body naming another one would be audited under the wrong VM
      new VmException(ErrorCode.INVALID, "a pass-through to '" + def.name() + "' must be an object naming it"
          + " (\"name\": \"" + def.name() + "\")").failReply(caller);
    } else {
      respond(Op.QMP, (Message<JsonObject>) (Message<?>) caller);
    }
  }

  /** Adopted a QEMU the operator had asked to stop (the daemon died mid-ladder): drive on towards STOPPED. */
  private void finishInterruptedStop() {
    if (stored.desired() == Desired.STOPPED && vm.isUp()) {
      VmCore.LOG.info(def.name() + ": desired state is STOPPED but QEMU runs; stopping it");
      ladder.stop(def.rules().stopGrace()).onFailure(t -> VmCore.LOG.warning(def.name() + ": stop failed: " + t));
    }
  }

  @Override
  public Future<?> stop() {
    retired = true;
    // before the address goes with the undeployment: the bus gate no longer counts on its handler, and a request
    // whose audit record it began is handed to the bus before the address goes (the stop completes after that)
    Future<Void> released = PassThroughTargets.release(vertx, def.name());
    vm.snapshot().retire();
    queries.retire();
    deps.table().closeQueries(def.name(), queries);
    vm.restarts().cancel();
    starter.forget();
    // a record that is behind gets one last try (a deleted VM's keeper is closed already and writes nothing)
    Future<Void> detached = vm.record().closeAfterLastTry();
    Incarnation run = vm.run();
    if (run != null) {
      run.stopProbing();
      if (vm.state().hasProcess()) {
        detached = detached.compose(v -> run.detach().recover(t -> Future.succeededFuture()));
      }
    }
    Future<?> done = detached.eventually(() -> vm.prober().close());
    return Future.join(released, done).transform(x -> done.mapEmpty());
  }

  private void watch(Incarnation run) {
    var group = vm.confinement().cgroup();
    // the taps of NICs on networks go with their QEMU (the next start, which waits for this, makes them again)
    // the uid's grants go with the process, not at its first sign of death: a QMP close may be followed by a
    // reconnect to a QEMU that still runs and needs its files
    vm.confinement().retiring(run.exit().transform(x -> NicTaps.remove(vm))
        .transform(x -> releaseGrants(run))
        .transform(x -> vertx.executeBlocking(() -> CgroupBinding.retire(vm, group), false)));
    run.death().onSuccess(signal -> exits.onDeath(run, signal));
    exits.vigil().watch(run);
  }

  /** Takes the exited {@code run}'s grants back, unless a newer run (same uid) holds the VM's grants by now. */
  private Future<Void> releaseGrants(Incarnation run) {
    if (vm.run() != null && !vm.isCurrent(run)) {
      return Future.succeededFuture();
    }
    var grants = vm.confinement().grants();
    vm.confinement().granted(null);
    if (grants == null && deps.options().qemuUids() == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      Confine.release(vm, grants);
      return null;
    }, false);
  }

  private void onQmpEvent(QmpEvent e) {
    String name = e.name();
    if ("SHUTDOWN".equals(name)) {
      vm.clues().shutdownSeen(e.data().getString("reason"));
    } else if ("STOP".equals(name) && vm.state() == RUNNING) {
      vm.moveTo(PAUSED, vm.clues().requestedOr(Reason.PAUSE, Reason.QMP_STOP));
    } else if ("RESUME".equals(name) && vm.state() == PAUSED) {
      vm.moveTo(RUNNING, vm.clues().requestedOr(Reason.RESUME, Reason.QMP_RESUME));
    }
    hotplug.onEvent(e);
    vm.events().qmp(e);
  }

  /**
   * Answers {@code caller}'s request for {@code op} itself, on this actor's context (callable from any thread): the
   * registry hands over a request whose reply it need not see, and the reply goes straight back to the caller, one
   * thread crossing less than a forward. The reply is the one {@link #address(String)} would give; a request that
   * arrives once the actor is undeployed (its VM deleted) is answered NOT_FOUND, as the registry answers after a delete.
   */
  public void answer(Op op, Message<JsonObject> caller) {
    context.runOnContext(v -> respond(op, caller));
  }

  private void respond(Op op, Message<JsonObject> caller) {
    if (retired) {
      new VmException(ErrorCode.NOT_FOUND, "no VM named '" + def.name() + "'").failReply(caller);
    } else {
      Replies.when(caller, reply(op, caller.body()));
    }
  }

  private void handle(Message<JsonObject> msg) {
    Replies.when(msg, reply(Op.ofVerb(msg.headers().get(OP_HEADER)).orElse(null), msg.body()));
  }

  private Future<JsonObject> reply(Op op, JsonObject given) {
    JsonObject body = given == null ? new JsonObject() : given;
    try {
      return op == null ? dispatch(null, body)
          : disks.admit(op).compose(v -> replace.gate(op, () -> dispatch(op, body)));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> dispatch(Op op, JsonObject body) {
    if (op == null) {
      return Future.failedFuture(new VmException(ErrorCode.INVALID, "unknown operation"));
    }
    switch (op) {
      case START:
        return commands.start();
      case STOP:
        return commands.stop(body);
      case KILL:
        return commands.kill();
      case PAUSE:
        return commands.pause();
      case RESUME:
        return commands.resume();
      case RESET:
        return commands.reset();
      case QMP:
        return commands.qmp(body);
      case DELETE:
        return disks.delete(body, commands::delete);
      case ATTACH:
        return hotplug.attach(body);
      case DETACH:
        return hotplug.detach(body);
      case RENDER:
        return ArgvView.of(vm);
      case QUERY:
        return QmpQueries.query(vm, body);
      case LOG:
        return LogReader.of(vm, body);
      case SNAPSHOT_CREATE:
      case SNAPSHOT_LIST:
      case SNAPSHOT_REVERT:
      case SNAPSHOT_DELETE:
      case DISK_RESIZE:
      case CLONE:
        return disks.handle(op, body);
      case REPLACE:
        return replace.replace(body);
      default:
        return Future.failedFuture(new VmException(ErrorCode.INVALID, "operation " + op.verb()
            + " is not answered by a VM's actor"));
    }
  }
}

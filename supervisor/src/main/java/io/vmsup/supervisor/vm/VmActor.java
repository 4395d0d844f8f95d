package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.CRASHED;
import static io.vmsup.supervisor.api.VmState.DEFINED;
import static io.vmsup.supervisor.api.VmState.FAILED;
import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;
import static io.vmsup.supervisor.api.VmState.STOPPED;
import static io.vmsup.supervisor.api.VmState.STOPPING;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PciPlans;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.hotplug.Hotplug;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.store.Desired;
import io.vmsup.supervisor.store.RecordKeeper;
import io.vmsup.supervisor.store.StoredVm;
import java.time.Duration;
import java.util.List;

/**
 * One VM's actor: owns its QEMU process, QMP link and timers on its own context, so a hung VM only slows itself.
 * Receives the registry's forwarded requests on {@link #address(String)} with the command in the {@code op} header.
 */
public final class VmActor extends VerticleBase {

  /** The header that names the forwarded request's {@link Op#verb()}. */
  public static final String OP_HEADER = "op";

  private static final String PREFIX = "vmsup.internal.vm.";

  private final VmDeps deps;
  private final VmDefinition def;
  private final StoredVm stored;
  private final List<ProcessHandle> candidates;
  private VmCore vm;
  private StartFlow starter;
  private ExitPolicy exits;
  private StopLadder ladder;
  private Hotplug hotplug;
  private QmpPassthrough passthrough;
  private MessageConsumer<JsonObject> consumer;

  /**
   * @param stored     the VM as found in the state directory at daemon start (null for a new VM)
   * @param candidates QEMU processes running at daemon start, to spot ones we cannot prove ours
   */
  public VmActor(VmDeps deps, VmDefinition def, StoredVm stored, List<ProcessHandle> candidates) {
    this.deps = deps;
    this.def = def;
    this.stored = stored;
    this.candidates = candidates;
  }

  /** The internal address of one VM's actor. */
  public static String address(String name) {
    return PREFIX + name;
  }

  @Override
  public Future<?> start() {
    vm = new VmCore(vertx, context, deps, def);
    vm.record = new RecordKeeper(vertx, deps.store(), def.name(), def.json().encodePrettily(),
        def.layout().map(PciPlans::toJson).orElse(null), stored == null ? Desired.STOPPED : stored.desired(),
        stored == null ? null : stored.runtime(),
        RecordKeeper.RETRY, e -> {
          vm.refresh(); // the view's "persisted" changes with it
          vm.publish(e);
        });
    exits = new ExitPolicy(vm, () -> starter, this::onQmpEvent);
    starter = new StartFlow(vm, this::onQmpEvent, this::watch);
    ladder = new StopLadder(vm);
    hotplug = Hotplug.create(vertx, new HotplugBinding(vm), deps.options());
    passthrough = new QmpPassthrough(vm);
    vm.refresh();
    consumer = vertx.eventBus().localConsumer(address(def.name()), this::handle);
    Future<Void> registered = consumer.completion().compose(v -> passthrough.load());
    if (stored == null) {
      return registered;
    }
    return registered
        .compose(v -> new Recovery(vm, exits, this::onQmpEvent, this::watch).recover(stored, candidates))
        .onSuccess(v -> finishInterruptedStop());
  }

  /** Adopted a QEMU the operator had asked to stop (the daemon died mid-ladder): drive on towards STOPPED. */
  private void finishInterruptedStop() {
    if (stored.desired() == Desired.STOPPED && (vm.sm.state() == RUNNING || vm.sm.state() == PAUSED)) {
      VmCore.LOG.info(def.name() + ": desired state is STOPPED but QEMU runs; stopping it");
      ladder.stop(def.rules().stopGrace()).onFailure(t -> VmCore.LOG.warning(def.name() + ": stop failed: " + t));
    }
  }

  @Override
  public Future<?> stop() {
    vm.retired = true;
    vm.cancelRestart();
    // a record that is behind gets one last try (a deleted VM's keeper is closed already and writes nothing)
    Future<Void> detached = vm.record.closeAfterLastTry();
    if (vm.run != null) {
      vm.run.stopProbing();
      if (vm.sm.state().hasProcess()) {
        detached = detached.compose(v -> vm.run.detach().recover(t -> Future.succeededFuture()));
      }
    }
    return detached.eventually(() -> vm.prober.close());
  }

  private void watch(Incarnation run) {
    io.vmsup.supervisor.cgroup.VmCgroup group = vm.cgroup;
    vm.cgroupRetired = run.exit().transform(x -> vertx.executeBlocking(() -> CgroupBinding.retire(vm, group), false));
    run.death().onSuccess(signal -> {
      var grants = vm.confinement;
      vm.confinement = null;
      if (grants != null || deps.options().qemuUids() != null) {
        vertx.executeBlocking(() -> {
          Confine.release(vm, grants);
          return null;
        }, false);
      }
      exits.onDeath(run, signal);
    });
    exits.vigil().watch(run);
  }

  private void onQmpEvent(JsonObject e) {
    String name = e.getString("event");
    if ("SHUTDOWN".equals(name)) {
      vm.lastShutdown = e.getJsonObject("data", new JsonObject());
    } else if ("STOP".equals(name) && vm.sm.state() == RUNNING) {
      vm.sm.moveTo(PAUSED, "pause".equals(vm.requested) ? "pause" : "qmp-stop");
    } else if ("RESUME".equals(name) && vm.sm.state() == PAUSED) {
      vm.sm.moveTo(RUNNING, "resume".equals(vm.requested) ? "resume" : "qmp-resume");
    }
    hotplug.onEvent(e);
    vm.publishQmp(e);
  }

  private void handle(Message<JsonObject> msg) {
    Op op = Op.ofVerb(msg.headers().get(OP_HEADER)).orElse(null);
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    Future<JsonObject> reply;
    try {
      reply = dispatch(op, body);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    Replies.when(msg, reply);
  }

  private Future<JsonObject> dispatch(Op op, JsonObject body) {
    if (op == null) {
      return Future.failedFuture(new VmException(ErrorCode.INVALID, "unknown operation"));
    }
    switch (op) {
      case START:
        return startVm();
      case STOP:
        return stop(body);
      case KILL:
        return kill();
      case PAUSE:
        return qmpThen("pause", "stop", RUNNING, PAUSED);
      case RESUME:
        return qmpThen("resume", "cont", PAUSED, RUNNING);
      case RESET:
        vm.sm.require("reset", RUNNING, PAUSED);
        return command("system_reset", new JsonObject()).map(r -> vm.view());
      case QMP:
        return qmp(body);
      case DELETE:
        return prepareDelete();
      case ATTACH:
        return hotplug.attach(body);
      case DETACH:
        return hotplug.detach(body);
      case RENDER:
        return ArgvView.of(vm);
      case QUERY:
        return QmpQueries.query(vm, body);
      default:
        return Future.failedFuture(new VmException(ErrorCode.INVALID, "operation " + op.verb()
            + " is not answered by a VM's actor"));
    }
  }

  private Future<JsonObject> startVm() {
    vm.sm.require("start", DEFINED, STOPPED, CRASHED, FAILED);
    if (vm.sm.state() == FAILED) {
      vm.restarts.clear();
    }
    vm.cancelRestart();
    // In the usual case noStrayProcess() is already complete and launch() moves to STARTING before this returns.
    return noStrayProcess()
        .compose(v -> {
          vm.sm.require("start", DEFINED, STOPPED, CRASHED, FAILED);
          return starter.launch("start", () -> vm.record.requireDesired(Desired.RUNNING));
        })
        .map(v -> vm.view());
  }

  /**
   * After {@code unverified-process} or {@code reattach-failed} a QEMU may still serve this VM's socket: starting a
   * second one would take its socket away. Refuse (CONFLICT) until no process names the socket any more.
   */
  private Future<Void> noStrayProcess() {
    String why = vm.sm.reason();
    if (vm.sm.state() != FAILED || !(why.equals("unverified-process") || why.equals("reattach-failed"))) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> Reattach.check(null, vm.paths.qmpSocket(), Candidates.qemuProcesses()))
        .compose(found -> found.verdict() == Reattach.Verdict.GONE || found.verdict() == Reattach.Verdict.KILLED
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new VmException(ErrorCode.CONFLICT, found.verdict() == Reattach.Verdict.UNKNOWN
                ? "cannot tell whether a process still serves VM '" + def.name() + "''s QMP socket ("
                    + found.detail() + "); try again"
                : "process " + found.pid() + " still serves VM '" + def.name() + "''s QMP socket and is not proven"
                    + " ours; stop it first",
                new JsonObject().put("state", vm.sm.state().json()).put("pid", found.pid()))));
  }

  private Future<JsonObject> stop(JsonObject body) {
    Object given = body.getValue("graceSeconds");
    double seconds = given instanceof Number n ? n.doubleValue() : Double.NaN;
    Duration grace = given == null ? def.rules().stopGrace() : Duration.ofMillis((long) (seconds * 1000));
    if (given != null && !(seconds >= 0 && seconds <= Integer.MAX_VALUE)) {
      return Future.failedFuture(VmException.invalid("graceSeconds must be a number >= 0", new JsonArray()
          .add(new JsonObject().put("path", "graceSeconds").put("message", "must be a number >= 0"))));
    }
    if (!(vm.sm.state() == RUNNING || vm.sm.state() == PAUSED)) {
      return settle("stop");
    }
    return ladder.stop(grace, () -> vm.record.desired(Desired.STOPPED))
        .map(steps -> vm.view().put("steps", StopLadder.json(steps)))
        .recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t, "stopped")));
  }

  private Future<JsonObject> kill() {
    if (!(vm.sm.state() == RUNNING || vm.sm.state() == PAUSED || vm.sm.state() == STOPPING)) {
      return settle("kill");
    }
    return ladder.kill(() -> vm.record.desired(Desired.STOPPED))
        .map(steps -> vm.view().put("steps", StopLadder.json(steps)))
        .recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t, "was killed")));
  }

  /** stop/kill of a VM without a process: cancels a pending restart; a no-op when already down. */
  private Future<JsonObject> settle(String command) {
    vm.sm.require(command, DEFINED, STOPPED, CRASHED, FAILED);
    vm.cancelRestart();
    // the operator's word stands even when the disk does not take it: no restart, and STOPPED
    if (vm.sm.state() == CRASHED) {
      vm.sm.moveTo(STOPPED, command);
    }
    return vm.record.desired(Desired.STOPPED).map(v -> vm.view().put("steps", new JsonArray()))
        .recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t, "is not running and will not be restarted")));
  }

  private Future<JsonObject> qmpThen(String verb, String command, VmState from, VmState to) {
    vm.sm.require(verb, from, to);
    if (vm.sm.state() == to) {
      return Future.succeededFuture(vm.view());
    }
    // QEMU sends the STOP/RESUME event before its reply: the event's transition must name this request
    vm.requested = verb;
    return command(command, new JsonObject()).onComplete(ar -> vm.requested = null).map(r -> {
      if (vm.sm.state() == from) {
        vm.sm.moveTo(to, verb);
      }
      return vm.view();
    });
  }

  private Future<JsonObject> qmp(JsonObject body) {
    String execute = body.getString("execute");
    if (execute == null || execute.isBlank()) {
      return Future.failedFuture(VmException.invalid("missing 'execute'", new JsonArray()
          .add(new JsonObject().put("path", "execute").put("message", "required"))));
    }
    Object arguments = body.getValue("arguments");
    if (arguments != null && !(arguments instanceof JsonObject)) {
      return Future.failedFuture(VmException.invalid("'arguments' must be an object", new JsonArray()
          .add(new JsonObject().put("path", "arguments").put("message", "must be an object"))));
    }
    vm.sm.require("send QMP to", RUNNING, PAUSED, STOPPING);
    return passthrough.execute(execute, arguments == null ? new JsonObject() : (JsonObject) arguments, this::command)
        .map(r -> new JsonObject().put("return", r));
  }

  private Future<Object> command(String name, JsonObject args) {
    if (vm.run == null || vm.run.qmp() == null) {
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + def.name() + "' has no QMP connection"));
    }
    return vm.run.qmp().execute(name, args, deps.options().commandTimeout());
  }

  private Future<JsonObject> prepareDelete() {
    vm.sm.require("delete", DEFINED, STOPPED, CRASHED, FAILED);
    vm.cancelRestart();
    // the directory is renamed away in one step (after any write of this VM still queued): gone, or untouched
    vm.record.close();
    return deps.store().retire(def.name()).map(v -> vm.view()).recover(t -> {
      vm.record.reopen();
      return Future.failedFuture(PersistReplies.outcome(vm, t, "was not deleted: it stays defined"));
    });
  }
}

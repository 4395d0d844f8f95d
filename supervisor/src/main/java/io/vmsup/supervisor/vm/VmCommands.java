package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.CRASHED;
import static io.vmsup.supervisor.api.VmState.DEFINED;
import static io.vmsup.supervisor.api.VmState.FAILED;
import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;
import static io.vmsup.supervisor.api.VmState.STOPPED;
import static io.vmsup.supervisor.api.VmState.STOPPING;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.store.Desired;
import java.time.Duration;

/**
 * The operator's lifecycle commands of one VM (start, stop, kill, pause, resume, reset, raw QMP, delete), each
 * answered with the VM view; run on the VM's context by its {@link VmActor}.
 */
final class VmCommands {

  private final VmCore vm;
  private final StartFlow starter;
  private final StopLadder ladder;
  private final QmpPassthrough passthrough;

  VmCommands(VmCore vm, StartFlow starter, StopLadder ladder, QmpPassthrough passthrough) {
    this.vm = vm;
    this.starter = starter;
    this.ladder = ladder;
    this.passthrough = passthrough;
  }

  Future<JsonObject> start() {
    vm.require("start", DEFINED, STOPPED, CRASHED, FAILED);
    if (vm.state() == FAILED) {
      vm.restarts().tracker().clear();
    }
    vm.restarts().cancel();
    // In the usual case noStrayProcess() is already complete and launch() moves to STARTING before this returns.
    return noStrayProcess()
        .compose(v -> {
          vm.require("start", DEFINED, STOPPED, CRASHED, FAILED);
          return starter.launch(Reason.START, Desired.RUNNING);
        })
        .map(v -> vm.view());
  }

  /**
   * After {@code unverified-process}, {@code reattach-failed} or {@code qmp-wrong-peer} (at re-attach) a QEMU may
   * still run and name this VM's socket: starting a
   * second one would take its socket away. Refuse (CONFLICT) until no process names the socket any more.
   */
  private Future<Void> noStrayProcess() {
    if (vm.state() != FAILED
        || !(vm.reason() == Reason.UNVERIFIED_PROCESS || vm.reason() == Reason.REATTACH_FAILED
            || vm.reason() == Reason.QMP_WRONG_PEER)) {
      return Future.succeededFuture();
    }
    return vm.vertx().executeBlocking(() -> Reattach.check(null, vm.paths().qmpSocket(), Candidates.qemuProcesses()))
        .compose(found -> found.verdict() == Reattach.Verdict.GONE || found.verdict() == Reattach.Verdict.KILLED
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new VmException(ErrorCode.CONFLICT, found.verdict() == Reattach.Verdict.UNKNOWN
                ? "cannot tell whether a process still serves VM '" + vm.name() + "''s QMP socket ("
                    + found.detail() + "); try again"
                : "process " + found.pid() + " still serves VM '" + vm.name() + "''s QMP socket and is not proven"
                    + " ours; stop it first",
                new JsonObject().put("state", vm.state().json()).put("pid", found.pid()))));
  }

  Future<JsonObject> stop(JsonObject body) {
    Object given = body.getValue("graceSeconds");
    double seconds = given instanceof Number n ? n.doubleValue() : Double.NaN;
    Duration grace = given == null ? vm.definition().rules().stopGrace() : Duration.ofMillis((long) (seconds * 1000));
    if (given != null && !(seconds >= 0 && seconds <= Integer.MAX_VALUE)) {
      return Future.failedFuture(VmException.invalid("graceSeconds must be a number >= 0", new JsonArray()
          .add(new JsonObject().put("path", "graceSeconds").put("message", "must be a number >= 0"))));
    }
    if (starter.queued()) {
      return unqueue(Reason.STOP);
    }
    if (!vm.isUp()) {
      return settle(Reason.STOP);
    }
    return ladder.stop(grace, () -> vm.record().desired(Desired.STOPPED))
        .map(steps -> vm.view().put("steps", StopLadder.json(steps)))
        .recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t, "stopped")));
  }

  Future<JsonObject> kill() {
    if (starter.queued()) {
      return unqueue(Reason.KILL);
    }
    if (!vm.in(RUNNING, PAUSED, STOPPING)) {
      return settle(Reason.KILL);
    }
    return ladder.kill(() -> vm.record().desired(Desired.STOPPED))
        .map(steps -> vm.view().put("steps", StopLadder.json(steps)))
        .recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t, "was killed")));
  }

  /** stop/kill of a VM whose start waits in the start queue: taken out, STOPPED, nothing was spawned. */
  private Future<JsonObject> unqueue(Reason command) {
    return starter.cancelQueued(command).compose(v -> settle(command));
  }

  /** stop/kill of a VM without a process: cancels a pending restart; a no-op when already down. */
  private Future<JsonObject> settle(Reason command) {
    vm.require(command.json(), DEFINED, STOPPED, CRASHED, FAILED);
    vm.restarts().cancel();
    // the operator's word stands even when the disk does not take it: no restart, and STOPPED
    if (vm.state() == CRASHED) {
      vm.moveTo(STOPPED, command);
    }
    return vm.record().desired(Desired.STOPPED).map(v -> vm.view().put("steps", new JsonArray()))
        .recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t, "is not running and will not be restarted")));
  }

  Future<JsonObject> pause() {
    return qmpThen(Reason.PAUSE, QmpCommands.stop(), RUNNING, PAUSED);
  }

  Future<JsonObject> resume() {
    return qmpThen(Reason.RESUME, QmpCommands.cont(), PAUSED, RUNNING);
  }

  Future<JsonObject> reset() {
    vm.require("reset", RUNNING, PAUSED);
    return vm.qmp(QmpCommands.systemReset(), vm.options().commandTimeout()).map(r -> vm.view());
  }

  private Future<JsonObject> qmpThen(Reason verb, QmpCommand<Void> command, VmState from, VmState to) {
    vm.require(verb.json(), from, to);
    if (vm.state() == to) {
      return Future.succeededFuture(vm.view());
    }
    // QEMU sends the STOP/RESUME event before its reply: the event's transition must name this request
    vm.clues().requesting(verb);
    return vm.qmp(command, vm.options().commandTimeout()).onComplete(ar -> vm.clues().requesting(null)).map(r -> {
      if (vm.state() == from) {
        vm.moveTo(to, verb);
      }
      return vm.view();
    });
  }

  Future<JsonObject> qmp(JsonObject body) {
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
    JsonObject args = arguments == null ? new JsonObject() : (JsonObject) arguments;
    VmException tooLarge = CommandSize.refusal(execute, args);
    if (tooLarge != null) {
      return Future.failedFuture(tooLarge);
    }
    vm.require("send QMP to", RUNNING, PAUSED, STOPPING);
    return passthrough.execute(QmpCommand.raw(execute, args))
        .map(r -> new JsonObject().put("return", r));
  }

  Future<JsonObject> delete() {
    if (starter.queued()) {
      return starter.cancelQueued(Reason.STOP).compose(v -> delete());
    }
    vm.require("delete", DEFINED, STOPPED, CRASHED, FAILED);
    vm.restarts().cancel();
    // the directory is renamed away in one step (after any write of this VM still queued): gone, or untouched
    vm.record().close();
    return vm.deps().store().retire(vm.name()).map(v -> vm.view()).recover(t -> {
      vm.record().reopen();
      return Future.failedFuture(PersistReplies.outcome(vm, t, "was not deleted: it stays defined"));
    });
  }
}

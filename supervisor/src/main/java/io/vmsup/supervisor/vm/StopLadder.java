package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.STOPPED;
import static io.vmsup.supervisor.api.VmState.STOPPING;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.supervisor.api.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The stop ladder: ACPI {@code system_powerdown} → wait up to the grace → QMP {@code quit} → SIGTERM → SIGKILL, each
 * rung with its own timer; the rungs taken are published ({@code "type":"stop-step"}) and returned. {@code kill} is
 * SIGKILL at once.
 */
final class StopLadder {

  static final Duration TERM_WAIT = Duration.ofSeconds(3);
  static final Duration KILL_WAIT = Duration.ofSeconds(5);

  private final VmCore vm;

  StopLadder(VmCore vm) {
    this.vm = vm;
  }

  /** Runs the ladder; completes with the steps taken once the VM is STOPPED. */
  Future<List<Reason>> stop(Duration grace) {
    return stop(grace, Future::succeededFuture);
  }

  /**
   * Moves to STOPPING at once (a QEMU exit seen meanwhile is then ours, not a crash to restart), runs {@code first}
   * (the {@code desired} write), then the ladder; fails with {@code first}'s failure after the VM is STOPPED.
   */
  Future<List<Reason>> stop(Duration grace, Supplier<Future<Void>> first) {
    Incarnation run = begin(Reason.STOP);
    Future<Void> written = first.get();
    List<Reason> steps = new ArrayList<>();
    Duration cmd = vm.options().commandTimeout();
    Duration quitWait = cmd.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : cmd;
    return written.transform(w -> rung(run, steps, Reason.POWERDOWN, () -> qmp(run, QmpCommands.systemPowerdown()), grace))
        .compose(dead -> dead ? done(true) : rung(run, steps, Reason.QUIT, () -> qmp(run, QmpCommands.quit()), quitWait))
        .compose(dead -> dead ? done(true) : rung(run, steps, Reason.SIGTERM, signal(run::sigterm), TERM_WAIT))
        .compose(dead -> dead ? done(true) : rung(run, steps, Reason.SIGKILL, killAll(run), KILL_WAIT))
        .compose(dead -> finish(run, steps, dead))
        .compose(taken -> persisted(written, taken));
  }

  /** SIGKILL now; completes with {@code ["kill"]} once the VM is STOPPED. Like {@link #stop(Duration, Supplier)}. */
  Future<List<Reason>> kill(Supplier<Future<Void>> first) {
    Incarnation run = vm.state() == STOPPING ? vm.run() : begin(Reason.KILL);
    Future<Void> written = first.get();
    List<Reason> steps = new ArrayList<>();
    return written.transform(w -> rung(run, steps, Reason.KILL, killAll(run), KILL_WAIT))
        .compose(dead -> finish(run, steps, dead))
        .compose(taken -> persisted(written, taken));
  }

  /**
   * The steps, or the desired write's failure, unless a later write (the runtime record's removal) brought the
   * whole record in step meanwhile: then the disk says STOPPED and so does the reply.
   */
  private Future<List<Reason>> persisted(Future<Void> written, List<Reason> taken) {
    return written.transform(w -> w.succeeded() || vm.record().inStep() ? Future.succeededFuture(taken)
        : Future.failedFuture(w.cause()));
  }

  private Incarnation begin(Reason why) {
    vm.restarts().cancel();
    vm.moveTo(STOPPING, why);
    return vm.run();
  }

  private Future<Boolean> rung(Incarnation run, List<Reason> steps, Reason step, Supplier<Future<?>> action,
      Duration wait) {
    steps.add(step);
    vm.events().stopStep(step);
    // A failed command (QMP already closed, QEMU hung) does not stop the ladder: the wait decides.
    action.get();
    return run.awaitDeath(wait);
  }

  private Future<?> qmp(Incarnation run, QmpCommand<?> command) {
    if (run.qmp() == null) {
      return Future.succeededFuture();
    }
    return run.qmp().execute(command, vm.options().commandTimeout());
  }

  private static Supplier<Future<?>> signal(Runnable send) {
    return () -> {
      send.run();
      return Future.succeededFuture();
    };
  }

  /** SIGKILL, and the cgroup's kill switch. */
  private Supplier<Future<?>> killAll(Incarnation run) {
    return signal(() -> CgroupBinding.killAll(vm, run));
  }

  private static Future<Boolean> done(boolean dead) {
    return Future.succeededFuture(dead);
  }

  private Future<List<Reason>> finish(Incarnation run, List<Reason> steps, boolean dead) {
    if (vm.state() == STOPPED) {
      return Future.succeededFuture(steps); // a concurrent kill finished this stop already
    }
    return run.awaitExit(Duration.ofSeconds(2)).compose(gone -> run.awaitQmpClosed(ExitPolicy.QMP_DRAIN).map(gone))
        .compose(gone -> {
      vm.exited(run);
      if (run.qmp() != null) {
        run.detach();
      }
      Reason last = steps.get(steps.size() - 1);
      if (vm.state() == STOPPING) {
        // an exit not confirmed is named after the last rung, whatever QEMU announced before
        vm.moveTo(STOPPED, dead || gone ? vm.clues().shutdownCause().orElse(last) : last.unconfirmed());
      }
      return vm.record().clearRuntime().map(v -> steps);
    });
  }

  static JsonArray json(List<Reason> steps) {
    return new JsonArray(steps.stream().map(Reason::json).toList());
  }
}

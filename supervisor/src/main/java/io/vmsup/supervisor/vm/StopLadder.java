package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.STOPPED;
import static io.vmsup.supervisor.api.VmState.STOPPING;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
  Future<List<String>> stop(Duration grace) {
    return stop(grace, Future::succeededFuture);
  }

  /**
   * Moves to STOPPING at once (a QEMU exit seen meanwhile is then ours, not a crash to restart), runs {@code first}
   * (the {@code desired} write), then the ladder; fails with {@code first}'s failure after the VM is STOPPED.
   */
  Future<List<String>> stop(Duration grace, Supplier<Future<Void>> first) {
    Incarnation run = begin("stop");
    Future<Void> written = first.get();
    List<String> steps = new ArrayList<>();
    Duration cmd = vm.deps.options().commandTimeout();
    Duration quitWait = cmd.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : cmd;
    return written.transform(w -> rung(run, steps, "powerdown", () -> qmp(run, "system_powerdown"), grace))
        .compose(dead -> dead ? done(true) : rung(run, steps, "quit", () -> qmp(run, "quit"), quitWait))
        .compose(dead -> dead ? done(true) : rung(run, steps, "sigterm", signal(run::sigterm), TERM_WAIT))
        .compose(dead -> dead ? done(true) : rung(run, steps, "sigkill", signal(() -> CgroupBinding.killAll(vm, run)), KILL_WAIT))
        .compose(dead -> finish(run, steps, dead))
        .compose(taken -> persisted(written, taken));
  }

  /** SIGKILL now; completes with {@code ["kill"]} once the VM is STOPPED. Like {@link #stop(Duration, Supplier)}. */
  Future<List<String>> kill(Supplier<Future<Void>> first) {
    Incarnation run = vm.sm.state() == STOPPING ? vm.run : begin("kill");
    Future<Void> written = first.get();
    List<String> steps = new ArrayList<>();
    return written.transform(w -> rung(run, steps, "kill", signal(() -> CgroupBinding.killAll(vm, run)), KILL_WAIT))
        .compose(dead -> finish(run, steps, dead))
        .compose(taken -> persisted(written, taken));
  }

  /**
   * The steps, or the desired write's failure, unless a later write (the runtime record's removal) brought the
   * whole record in step meanwhile: then the disk says STOPPED and so does the reply.
   */
  private Future<List<String>> persisted(Future<Void> written, List<String> taken) {
    return written.transform(w -> w.succeeded() || vm.record.inStep() ? Future.succeededFuture(taken)
        : Future.failedFuture(w.cause()));
  }

  private Incarnation begin(String why) {
    vm.stopping = true;
    vm.cancelRestart();
    vm.sm.moveTo(STOPPING, why);
    return vm.run;
  }

  private Future<Boolean> rung(Incarnation run, List<String> steps, String step, Supplier<Future<?>> action,
      Duration wait) {
    steps.add(step);
    vm.publish(new JsonObject().put("type", "stop-step").put("vm", vm.name()).put("step", step)
        .put("timestamp", vm.now().toString()));
    // A failed command (QMP already closed, QEMU hung) does not stop the ladder: the wait decides.
    action.get();
    return run.awaitDeath(wait);
  }

  private Future<?> qmp(Incarnation run, String command) {
    if (run.qmp() == null) {
      return Future.succeededFuture();
    }
    return run.qmp().execute(command, new JsonObject(), vm.deps.options().commandTimeout());
  }

  private static Supplier<Future<?>> signal(Runnable send) {
    return () -> {
      send.run();
      return Future.succeededFuture();
    };
  }

  private static Future<Boolean> done(boolean dead) {
    return Future.succeededFuture(dead);
  }

  private Future<List<String>> finish(Incarnation run, List<String> steps, boolean dead) {
    if (vm.sm.state() == STOPPED) {
      return Future.succeededFuture(steps); // a concurrent kill finished this stop already
    }
    return run.awaitExit(Duration.ofSeconds(2)).compose(gone -> run.awaitQmpClosed(ExitPolicy.QMP_DRAIN).map(gone))
        .compose(gone -> {
      vm.exitCode = run.exitCode().orElse(null);
      if (run.qmp() != null) {
        run.detach();
      }
      String why = vm.lastShutdown != null ? vm.lastShutdown.getString("reason", steps.get(steps.size() - 1))
          : steps.get(steps.size() - 1);
      vm.stopping = false;
      if (vm.sm.state() == STOPPING) {
        vm.sm.moveTo(STOPPED, dead || gone ? why : why + "-unconfirmed");
      }
      return vm.record.clearRuntime().map(v -> steps);
    });
  }

  static JsonArray json(List<String> steps) {
    return new JsonArray(new ArrayList<>(steps));
  }
}

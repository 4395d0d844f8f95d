package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;
import static io.vmsup.supervisor.api.VmState.UNKNOWN;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.launch.Evidence;
import io.vmsup.supervisor.launch.Liveness;

/**
 * Acts on each probe of a running VM's QEMU. "Cannot tell" is never "dead": evidence that cannot be read moves a
 * RUNNING/PAUSED VM to UNKNOWN {@code liveness-unknown} (no restart, no kill) and the periodic probe is the retry;
 * once evidence is read again the VM returns to its real state ({@code query-status}, else the state it had) with
 * reason {@code liveness-restored}, or {@code qmp-reconnected} when QMP had to be connected again. Also tracks
 * {@code responsive}: false while the process is stopped by a signal.
 */
final class Vigil {

  private final VmCore vm;
  private final QmpLoss qmpLoss;
  private final java.util.function.BiConsumer<Incarnation, Throwable> lost;
  private VmState before = RUNNING;
  private boolean restoring;

  /**
   * @param lost called for a live QEMU that does not answer a QMP reconnect (hung, CRASHED {@code qmp-lost}) or
   *             whose socket another process serves, with the reconnect's failure
   */
  Vigil(VmCore vm, QmpLoss qmpLoss, java.util.function.BiConsumer<Incarnation, Throwable> lost) {
    this.vm = vm;
    this.qmpLoss = qmpLoss;
    this.lost = lost;
  }

  /** Starts acting on {@code run}'s probes. */
  void watch(Incarnation run) {
    run.onEvidence(e -> onEvidence(run, e));
  }

  void onEvidence(Incarnation run, Evidence e) {
    if (!vm.isCurrent(run) || vm.snapshot().isRetired() || run.exit().isComplete()) {
      return;
    }
    if (e.liveness() == Liveness.ALIVE) {
      responsive(run, !e.stopped());
    }
    if (e.liveness() == Liveness.UNKNOWN && !run.isChild()) {
      unknown(run, e.detail());
    } else if (e.liveness() == Liveness.ALIVE || run.isChild() && e.liveness() == Liveness.UNKNOWN) {
      // a child's life is told by its exit status (waitpid), not by /proc: only QMP may be missing
      restore(run);
    }
  }

  /** Cannot tell whether {@code run} lives: UNKNOWN, and nothing else happens until evidence comes back. */
  void unknown(Incarnation run, String why) {
    if (!vm.isCurrent(run) || !vm.isUp()) {
      return;
    }
    before = vm.state();
    VmCore.LOG.warning(vm.name() + ": cannot tell whether QEMU (pid " + run.pid() + ") is alive: " + why
        + "; state UNKNOWN until the evidence can be read again (no restart, no kill)");
    vm.moveTo(UNKNOWN, Reason.LIVENESS_UNKNOWN);
  }

  private void restore(Incarnation run) {
    if (vm.state() != UNKNOWN || restoring) {
      return;
    }
    restoring = true;
    if (run.qmp() == null || run.qmp().closed().isComplete()) {
      qmpLoss.reconnect(run).onComplete(ar -> {
        restoring = false;
        if (ar.failed() && vm.isCurrent(run) && !run.exit().isComplete() && vm.state() == UNKNOWN) {
          if (Evidence.isExhaustion(ar.cause())) {
            VmCore.LOG.fine(() -> vm.name() + ": QMP reconnect still cannot get resources: " + ar.cause());
          } else {
            lost.accept(run, ar.cause());
          }
        }
      });
      return;
    }
    run.qmp().execute(QmpCommands.queryStatus(), vm.options().commandTimeout()).onComplete(ar -> {
      restoring = false;
      if (!vm.isCurrent(run) || run.exit().isComplete() || vm.state() != UNKNOWN) {
        return;
      }
      VmState real = ar.succeeded() ? (ar.result().running() ? RUNNING : PAUSED) : before;
      VmCore.LOG.info(vm.name() + ": QEMU (pid " + run.pid() + ") proven alive again; " + real);
      vm.moveTo(real, Reason.LIVENESS_RESTORED);
    });
  }

  private void responsive(Incarnation run, boolean now) {
    if (!vm.snapshot().responsive(now)) {
      return;
    }
    VmCore.LOG.info(vm.name() + ": QEMU (pid " + run.pid() + ") " + (now ? "answers again" : "stopped by a signal"));
    vm.events().responsive(run.pid(), now, vm.state());
  }
}

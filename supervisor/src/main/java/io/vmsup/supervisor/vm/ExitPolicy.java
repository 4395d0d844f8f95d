package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.CRASHED;
import static io.vmsup.supervisor.api.VmState.FAILED;
import static io.vmsup.supervisor.api.VmState.STOPPED;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.config.RestartPolicy;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.launch.Evidence;
import io.vmsup.supervisor.launch.Liveness;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * What happens when QEMU dies without a stop of ours: the last SHUTDOWN event decides clean (STOPPED) versus crash
 * (CRASHED), then the restart policy schedules the next start with backoff, or FAILED at the start limit.
 */
final class ExitPolicy {

  /** How long to let QMP deliver QEMU's last words (SHUTDOWN) when the exit was seen first. */
  static final Duration QMP_DRAIN = Duration.ofMillis(500);

  private final VmCore vm;
  private final Supplier<StartFlow> starter;
  private final QmpLoss qmpLoss;
  private final Vigil vigil;

  ExitPolicy(VmCore vm, Supplier<StartFlow> starter, Handler<QmpEvent> events) {
    this.vm = vm;
    this.starter = starter;
    this.qmpLoss = new QmpLoss(vm, events);
    this.vigil = new Vigil(vm, qmpLoss, (run, t) -> decide(run, lostReason(t)));
  }

  /** Acts on the probes of {@code run}: UNKNOWN when the evidence cannot be read, back when it can, responsive. */
  Vigil vigil() {
    return vigil;
  }

  /**
   * Called for a run that reached RUNNING/PAUSED at its first sign of death (again after each QMP reconnect). A QMP
   * close is only a hint: unless the process is gone within {@link QmpLoss#WINDOW}, QMP is reconnected and the VM
   * keeps running; a QEMU that then does not answer is hung: CRASHED {@code qmp-lost}, and killed. When the
   * evidence cannot be read, or the reconnect fails for want of descriptors or memory, the VM is UNKNOWN instead
   * and the {@link Vigil} retries: only positive evidence of death leads to CRASHED.
   */
  void onDeath(Incarnation run, String signal) {
    if (!"qmp-closed".equals(signal) || !live(run)) {
      run.awaitQmpClosed(QMP_DRAIN).onComplete(ar -> decide(run, null));
      return;
    }
    // Until the check says otherwise the process counts as alive: a stop begun meanwhile waits for the real exit.
    run.rearm();
    run.death().onSuccess(s -> onDeath(run, s));
    qmpLoss.diedWithin(run).onComplete(died -> {
      if (!live(run)) {
        return; // the exit was judged through the re-armed death, or a stop took over
      }
      if (died.result() == Liveness.DEAD) {
        decide(run, null);
        return;
      }
      if (died.result() == Liveness.UNKNOWN) {
        vigil.unknown(run, "QMP closed and /proc cannot be read");
        return;
      }
      qmpLoss.reconnect(run).onFailure(t -> {
        if (!run.dead() && Evidence.isExhaustion(t)) {
          vigil.unknown(run, "QMP closed and cannot be reconnected: " + t.getMessage());
        } else if (!run.dead()) {
          VmCore.LOG.warning(vm.name() + ": QEMU (pid " + run.pid() + ") alive but QMP lost: " + t.getMessage());
          decide(run, lostReason(t));
        }
      });
    });
  }

  /** A QEMU that does not answer is hung; one whose socket another process serves hid its monitor. */
  private static Reason lostReason(Throwable t) {
    return QmpPeers.refused(t) ? Reason.QMP_WRONG_PEER : Reason.QMP_LOST;
  }

  private boolean live(Incarnation run) {
    return vm.isCurrent(run) && vm.in(VmState.RUNNING, VmState.PAUSED, VmState.UNKNOWN);
  }

  /**
   * @param forced the reason when it is not QEMU's own, else null: then the cgroup's OOM counter, and after it QEMU's
   *               last SHUTDOWN event, say why it died
   */
  private void decide(Incarnation run, Reason forced) {
    if (!live(run)) {
      return;
    }
    if (forced == null) {
      CgroupBinding.oomKilled(vm).onComplete(oom -> settle(run, oom.result() ? Reason.OOM : null));
      return;
    }
    settle(run, forced);
  }

  private void settle(Incarnation run, Reason forced) {
    if (!live(run)) {
      return;
    }
    Reason why = forced != null ? forced : vm.clues().shutdownCause().orElse(Reason.UNEXPECTED_EXIT);
    boolean clean = why.isCleanExit();
    vm.moveTo(clean ? STOPPED : CRASHED, why);
    if (run.qmp() != null) {
      run.detach();
    }
    // QMP closing is the fast signal; make sure the process is really gone before anything reuses its socket.
    run.awaitExit(Duration.ofSeconds(2)).onComplete(ar -> {
      if (!run.exit().isComplete()) {
        CgroupBinding.killAll(vm, run);
      }
      run.awaitExit(Duration.ofSeconds(5)).onComplete(x -> vm.exited(run));
    });
    vm.record().clearRuntime().onFailure(t -> VmCore.LOG.warning(vm.name() + ": " + t.getMessage()));
    // a QEMU that hid its monitor behind another process's socket is not restarted behind the operator's back
    if (why != Reason.QMP_WRONG_PEER) {
      applyPolicy(clean);
    }
  }

  /** Restarts per the VM's policy after a clean exit or a crash that was not asked for. */
  void applyPolicy(boolean clean) {
    RestartPolicy mode = vm.definition().rules().restart();
    if (mode == RestartPolicy.NEVER || (mode == RestartPolicy.ON_FAILURE && clean)) {
      return;
    }
    scheduleRestart();
  }

  private void scheduleRestart() {
    Instant now = vm.now();
    if (vm.restarts().tracker().limitHit(now)) {
      vm.moveTo(FAILED, Reason.START_LIMIT);
      return;
    }
    Duration delay = vm.restarts().nextDelay(now);
    Incarnation old = vm.run();
    // the restart stays pending until it really begins: a stop, start, kill or delete while it waits for
    // the old process (a re-attached QEMU's exit is polled, ≈300 ms) cancels it through cancelRestart()
    vm.restarts().schedule(delay.toMillis(), id -> {
      var gone = old == null ? io.vertx.core.Future.succeededFuture(true) : old.awaitExit(Duration.ofSeconds(10));
      gone.onComplete(ar -> {
        if (!vm.restarts().isPending(id) || vm.snapshot().isRetired() || !vm.in(CRASHED, STOPPED, FAILED)) {
          return; // an operator acted meanwhile
        }
        vm.restarts().begins();
        vm.restarts().tracker().recordStart(vm.now());
        starter.get().launch(Reason.RESTART).onFailure(t -> retryFailedRestart(t));
      });
    });
  }

  /**
   * A restart that failed to start (FAILED {@code start-failed}) is tried again with backoff, as systemd does: each
   * attempt counts toward the start limit, which ends the retries in FAILED {@code start-limit}.
   */
  private void retryFailedRestart(Throwable t) {
    VmCore.LOG.warning(vm.name() + ": restart failed: " + t.getMessage());
    if (!vm.snapshot().isRetired() && !vm.restarts().isPending() && vm.state() == FAILED) {
      scheduleRestart();
    }
  }
}

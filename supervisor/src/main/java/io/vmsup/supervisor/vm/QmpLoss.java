package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;
import static io.vmsup.supervisor.api.VmState.UNKNOWN;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.launch.Evidence;
import io.vmsup.supervisor.launch.Liveness;
import java.time.Duration;

/**
 * The QMP connection closed while the VM ran and no stop of ours was under way. That is QEMU's death only when the
 * process goes within {@link #WINDOW} (QEMU exits ≈10 ms after its socket closes). Otherwise the close was ours (a
 * client protocol error, a frame over the limit, a bug), and a healthy guest is never killed for it: QMP is
 * reconnected (QEMU's chardev is a server and accepts a new client), {@code query-status} re-read, the events
 * re-subscribed; the state and the pid stay, and a {@code qmp-reconnected} event is published.
 */
final class QmpLoss {

  /** How long a process whose QMP closed may take to exit before it counts as alive. */
  static final Duration WINDOW = Duration.ofMillis(400);
  private static final long POLL_MS = 25;

  private final VmCore vm;
  private final Handler<QmpEvent> events;

  QmpLoss(VmCore vm, Handler<QmpEvent> events) {
    this.vm = vm;
    this.events = events;
  }

  /**
   * DEAD when the process is proven gone within {@link #WINDOW}; else ALIVE, or UNKNOWN when the last probe could
   * not read the evidence. A child's exit is seen at once (waitpid); an adopted process is probed through its open
   * {@code /proc} watch every {@link #POLL_MS} ms.
   */
  Future<Liveness> diedWithin(Incarnation run) {
    if (run.isChild()) {
      return run.awaitExit(WINDOW).map(gone -> gone ? Liveness.DEAD : Liveness.ALIVE);
    }
    Promise<Liveness> verdict = Promise.promise();
    run.exit().onComplete(ar -> verdict.tryComplete(Liveness.DEAD));
    poll(run, System.nanoTime() + WINDOW.toNanos(), verdict);
    return verdict.future();
  }

  private void poll(Incarnation run, long deadline, Promise<Liveness> verdict) {
    run.probe().onComplete(ar -> {
      if (verdict.future().isComplete()) {
        return;
      }
      Evidence e = ar.succeeded() ? ar.result() : Evidence.unknown(String.valueOf(ar.cause()));
      if (e.liveness() == Liveness.DEAD) {
        verdict.tryComplete(Liveness.DEAD);
      } else if (System.nanoTime() >= deadline) {
        verdict.tryComplete(e.liveness());
      } else {
        vm.vertx().setTimer(POLL_MS, id -> poll(run, deadline, verdict));
      }
    });
  }

  /**
   * Connects QMP again to the live {@code run} and re-reads its status, all within the command timeout. Fails when
   * QEMU does not answer in time (hung) or is gone meanwhile, or with {@link io.vmsup.supervisor.link.QmpConnector.WrongPeer}
   * (reported here) when another process serves the socket.
   */
  Future<Void> reconnect(Incarnation run) {
    Duration timeout = vm.options().commandTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    return QmpPeers.connect(vm, run, deadline).onFailure(t -> {
      if (QmpPeers.refused(t) && vm.isCurrent(run)) {
        QmpPeers.report(vm, run, t);
      }
    }).compose(link -> {
          if (!vm.isCurrent(run) || run.dead()) {
            link.close();
            return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "QEMU went away while reconnecting"));
          }
          run.attach(link);
          link.onEvent(events);
          return link.execute(QmpCommands.queryStatus(), timeout).map(status -> {
            resumed(run, status.running());
            return null;
          });
        });
  }

  private void resumed(Incarnation run, boolean running) {
    if (!vm.isCurrent(run) || !vm.in(RUNNING, PAUSED, UNKNOWN)) {
      return;
    }
    if (vm.state() != (running ? RUNNING : PAUSED)) {
      vm.moveTo(running ? RUNNING : PAUSED, Reason.QMP_RECONNECTED);
    }
    vm.reconnected(run.qmp());
    VmCore.LOG.warning(vm.name() + ": QMP connection closed while QEMU (pid " + run.pid() + ") stayed alive;"
        + " reconnected, state " + vm.state().json());
    vm.events().qmpReconnected(run.pid(), vm.state());
  }
}

package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.launch.ProcFs;
import io.vmsup.supervisor.link.ConnectLoop;
import java.time.Duration;
import java.util.OptionalLong;

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
  private final Handler<JsonObject> events;

  QmpLoss(VmCore vm, Handler<JsonObject> events) {
    this.vm = vm;
    this.events = events;
  }

  /**
   * True when the process is gone within {@link #WINDOW}. A child's exit is seen at once; an adopted process's exit
   * is polled by the JDK (≈300 ms), so its {@code /proc} entry (same start time, not a zombie) is checked as well.
   */
  Future<Boolean> diedWithin(Incarnation run) {
    if (run.isChild()) {
      return run.awaitExit(WINDOW);
    }
    Promise<Boolean> gone = Promise.promise();
    run.exit().onComplete(ar -> gone.tryComplete(true));
    poll(run, System.nanoTime() + WINDOW.toNanos(), gone);
    return gone.future();
  }

  private void poll(Incarnation run, long deadline, Promise<Boolean> gone) {
    vm.vertx.<OptionalLong>executeBlocking(() -> ProcFs.startTime(run.pid()), false).onComplete(ar -> {
      if (gone.future().isComplete()) {
        return;
      }
      OptionalLong start = ar.succeeded() ? ar.result() : OptionalLong.empty();
      if (start.isEmpty() || start.getAsLong() != run.procStartTime()) {
        gone.tryComplete(true);
      } else if (System.nanoTime() >= deadline) {
        gone.tryComplete(false);
      } else {
        vm.vertx.setTimer(POLL_MS, id -> poll(run, deadline, gone));
      }
    });
  }

  /**
   * Connects QMP again to the live {@code run} and re-reads its status, all within the command timeout. Fails when
   * QEMU does not answer in time (hung) or is gone meanwhile.
   */
  Future<Void> reconnect(Incarnation run) {
    Duration timeout = vm.deps.options().commandTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    return ConnectLoop.connect(vm.vertx, vm.deps.connector(), vm.paths.qmpSocket(), vm.name(), () -> !run.dead(),
        deadline).compose(link -> {
          if (run != vm.run || run.dead()) {
            link.close();
            return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "QEMU went away while reconnecting"));
          }
          run.attach(link);
          link.onEvent(events);
          return link.execute("query-status", new JsonObject(), timeout).map(status -> {
            boolean running = status instanceof JsonObject s && s.getBoolean("running", false);
            resumed(run, running);
            return null;
          });
        });
  }

  private void resumed(Incarnation run, boolean running) {
    if (run != vm.run || vm.stopping || !(vm.sm.state() == RUNNING || vm.sm.state() == PAUSED)) {
      return;
    }
    if (vm.sm.state() != (running ? RUNNING : PAUSED)) {
      vm.sm.moveTo(running ? RUNNING : PAUSED, "qmp-reconnected");
    }
    vm.refresh();
    VmCore.LOG.warning(vm.name() + ": QMP connection closed while QEMU (pid " + run.pid() + ") stayed alive;"
        + " reconnected, state " + vm.sm.state().json());
    vm.publish(new JsonObject().put("type", "qmp-reconnected").put("vm", vm.name()).put("pid", run.pid())
        .put("state", vm.sm.state().json()).put("timestamp", vm.now().toString()));
  }
}

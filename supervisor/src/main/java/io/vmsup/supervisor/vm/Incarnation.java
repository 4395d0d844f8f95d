package io.vmsup.supervisor.vm;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vmsup.supervisor.link.QmpLink;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One run of QEMU for a VM: its process handle, its QMP link and two signals, both delivered on the VM's context.
 * {@link #exit()} completes when the OS says the process is gone (with the exit code for a child, -1 for an adopted
 * process whose code the kernel does not tell us); {@link #death()} completes at the first sign of death — the QMP
 * socket's close (≈10 ms after SIGKILL) or the exit, whichever comes first. A QMP close is only a hint: when the
 * process may be alive, {@link #rearm()} gives a fresh death signal (the exit, or the next link's close).
 */
final class Incarnation {

  private final Vertx vertx;
  private final ProcessHandle handle;
  private final Process child;
  private final Promise<Integer> exit = Promise.promise();
  private Promise<String> death = Promise.promise();
  private final Instant startedAt;
  private final long procStartTime;
  private QmpLink qmp;
  private boolean detached;

  /** @param procStartTime the start time from {@code /proc/<pid>/stat}, to tell this process from a reused pid */
  Incarnation(Vertx vertx, Context context, ProcessHandle handle, Process child, Instant startedAt,
      long procStartTime) {
    this.vertx = vertx;
    this.handle = handle;
    this.child = child;
    this.startedAt = startedAt;
    this.procStartTime = procStartTime;
    if (child != null) {
      Future.fromCompletionStage(child.onExit(), context).onComplete(ar -> exited(child.exitValue()));
    } else {
      // ProcessHandle.onExit() polls for a non-child (first after 300 ms): QMP's close is the fast signal.
      Future.fromCompletionStage(handle.onExit(), context).onComplete(ar -> exited(-1));
    }
  }

  private void exited(int code) {
    exit.tryComplete(code);
    death.tryComplete("exit");
  }

  long pid() {
    return handle.pid();
  }

  Instant startedAt() {
    return startedAt;
  }

  long procStartTime() {
    return procStartTime;
  }

  /** True for a QEMU we spawned: its exit is seen at once. An adopted one's exit is polled (≈300 ms). */
  boolean isChild() {
    return child != null;
  }

  Future<Integer> exit() {
    return exit.future();
  }

  Future<String> death() {
    return death.future();
  }

  boolean dead() {
    return death.future().isComplete();
  }

  /** The exit code if the process was reaped already. */
  Optional<Integer> exitCode() {
    return exit.future().isComplete() ? Optional.of(exit.future().result()) : Optional.empty();
  }

  QmpLink qmp() {
    return qmp;
  }

  void attach(QmpLink link) {
    this.qmp = link;
    link.closed().onComplete(v -> {
      if (!detached && qmp == link) {
        death.tryComplete("qmp-closed");
      }
    });
  }

  /**
   * After a QMP close that may not be QEMU's death (the process may be alive): a fresh {@link #death()}, completed by
   * the exit or by the close of the link {@link #attach(QmpLink)} adds next. No-op when the process is already gone.
   */
  void rearm() {
    if (!exit.future().isComplete() && death.future().isComplete()) {
      death = Promise.promise();
    }
  }

  /** Closes QMP without treating it as death: the daemon leaves, QEMU stays. */
  Future<Void> detach() {
    detached = true;
    return qmp == null ? Future.succeededFuture() : qmp.close();
  }

  void sigterm() {
    handle.destroy();
  }

  void sigkill() {
    handle.destroyForcibly();
  }

  /** Completes with true when the process dies within {@code timeout}, false otherwise. */
  Future<Boolean> awaitDeath(Duration timeout) {
    return await(death.future(), timeout);
  }

  /** Completes with true when the process is gone (reaped or vanished) within {@code timeout}. */
  Future<Boolean> awaitExit(Duration timeout) {
    return await(exit.future(), timeout);
  }

  /**
   * Completes once the QMP connection closed (true) or after {@code timeout} (false). After the process exit, this
   * lets the last bytes QEMU wrote (its SHUTDOWN event) be read before anyone decides why it died.
   */
  Future<Boolean> awaitQmpClosed(Duration timeout) {
    return qmp == null ? Future.succeededFuture(true) : await(qmp.closed(), timeout);
  }

  private Future<Boolean> await(Future<?> what, Duration timeout) {
    if (what.isComplete()) {
      return Future.succeededFuture(true);
    }
    Promise<Boolean> p = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> p.tryComplete(false));
    what.onComplete(ar -> {
      vertx.cancelTimer(timer);
      p.tryComplete(true);
    });
    return p.future();
  }
}

package io.vmsup.supervisor.vm;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vmsup.config.Supervision;
import java.time.Duration;
import java.time.Instant;

/**
 * The automatic restarts of one VM: the {@link RestartTracker}'s arithmetic and the one timer of a restart that is
 * scheduled and has not begun yet. Anything an operator does to the VM cancels it ({@link #cancel()}).
 */
final class PendingRestart {

  private final Vertx vertx;
  private final RestartTracker tracker;
  private long timer = -1;
  private Instant runningSince;

  PendingRestart(Vertx vertx, Supervision rules) {
    this.vertx = vertx;
    this.tracker = new RestartTracker(rules.backoffInitial(), rules.backoffMax(), rules.backoffReset(),
        rules.startLimitBurst(), rules.startLimitInterval());
  }

  /** New backoff and start-limit rules (a replaced spec), the restarts counted so far kept. */
  void rules(Supervision rules) {
    tracker.retune(rules.backoffInitial(), rules.backoffMax(), rules.backoffReset(), rules.startLimitBurst(),
        rules.startLimitInterval());
  }

  RestartTracker tracker() {
    return tracker;
  }

  /** The VM's QEMU reached RUNNING/PAUSED at {@code at}: a run long enough resets the backoff. */
  void ranSince(Instant at) {
    runningSince = at;
  }

  /** The delay before the next automatic start, after a run that ended {@code now}. */
  Duration nextDelay(Instant now) {
    return tracker.nextDelay(now, runningSince);
  }

  /** Schedules {@code then} after {@code delayMs}; it is pending until {@link #begins()} or {@link #cancel()}. */
  void schedule(long delayMs, Handler<Long> then) {
    timer = vertx.setTimer(Math.max(1, delayMs), then);
  }

  /** True while the restart of timer {@code id} is the pending one. */
  boolean isPending(long id) {
    return timer == id;
  }

  boolean isPending() {
    return timer != -1;
  }

  /** The pending restart begins: it can no longer be cancelled. */
  void begins() {
    timer = -1;
  }

  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}

package io.vmsup.qmp.impl;

import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The one timer of a connection's command deadlines: armed for the earliest deadline that may be due, it calls the
 * sweep with the current {@link System#nanoTime()} when it fires; the sweep fails what is due and arms it again for the
 * next deadline. A command answered before its deadline costs nothing here (the sweep finds it gone), so a connection
 * whose commands share one timeout sets about one timer per timeout period instead of one per command. Never fires
 * early: the delay is rounded up to the millisecond. Runs on the connection's context.
 */
final class DeadlineTimer {

  private final ContextInternal ctx;
  private final LongConsumer sweep;
  private final Handler<Long> fire = this::fire;
  private long timerId = -1;
  private long armedFor;
  private long timersSet;

  DeadlineTimer(ContextInternal ctx, LongConsumer sweep) {
    this.ctx = ctx;
    this.sweep = sweep;
  }

  /** Makes sure the timer fires no later than {@code deadlineNanos} (a {@link System#nanoTime()} value). */
  void fireBy(long deadlineNanos) {
    if (timerId >= 0 && armedFor - deadlineNanos <= 0) {
      return;
    }
    cancel();
    long delayNanos = deadlineNanos - System.nanoTime();
    long delayMs = Math.max(1, (delayNanos + TimeUnit.MILLISECONDS.toNanos(1) - 1) / TimeUnit.MILLISECONDS.toNanos(1));
    armedFor = deadlineNanos;
    timerId = ctx.setTimer(delayMs, fire);
    timersSet++;
  }

  void cancel() {
    if (timerId >= 0) {
      ctx.owner().cancelTimer(timerId);
      timerId = -1;
    }
  }

  /** Timers set so far (tests: far fewer than commands). */
  long timersSet() {
    return timersSet;
  }

  private void fire(long id) {
    if (id != timerId) {
      return;
    }
    timerId = -1;
    sweep.accept(System.nanoTime());
  }
}

package io.vmsup.supervisor.vm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Backoff and start limit of automatic restarts, as systemd does them: the delay doubles from {@code initial} up to
 * {@code max} and falls back to {@code initial} once a run lasted {@code reset}; more than {@code burst} automatic
 * starts within {@code interval} hit the start limit. Pure arithmetic, no timers.
 */
public final class RestartTracker {

  private Duration initial;
  private Duration max;
  private Duration reset;
  private int burst;
  private Duration interval;
  private final Deque<Instant> starts = new ArrayDeque<>();
  private int attempt;
  private int restarts;

  public RestartTracker(Duration initial, Duration max, Duration reset, int burst, Duration interval) {
    this.initial = initial;
    this.max = max;
    this.reset = reset;
    this.burst = burst;
    this.interval = interval;
  }

  /** Other rules from now on (a replaced spec); the attempts and starts counted so far are kept. */
  public void retune(Duration initial, Duration max, Duration reset, int burst, Duration interval) {
    this.initial = initial;
    this.max = max;
    this.reset = reset;
    this.burst = burst;
    this.interval = interval;
  }

  /**
   * The delay before the next automatic start after a run that began at {@code runningSince} (null when it never
   * ran) and ended at {@code now}.
   */
  public Duration nextDelay(Instant now, Instant runningSince) {
    if (runningSince != null && !reset.isZero() && Duration.between(runningSince, now).compareTo(reset) >= 0) {
      attempt = 0;
    }
    Duration d = initial;
    for (int i = 0; i < attempt && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    attempt++;
    return d.compareTo(max) > 0 ? max : d;
  }

  /** True when one more automatic start at {@code now} would exceed the start limit. */
  public boolean limitHit(Instant now) {
    prune(now);
    return burst > 0 && starts.size() >= burst;
  }

  /** Counts an automatic start. */
  public void recordStart(Instant now) {
    prune(now);
    starts.addLast(now);
    restarts++;
  }

  /** Automatic starts since the VM was created in this daemon. */
  public int restarts() {
    return restarts;
  }

  /** Forgets backoff and the start window (a manual start after FAILED, like {@code systemctl reset-failed}). */
  public void clear() {
    starts.clear();
    attempt = 0;
  }

  private void prune(Instant now) {
    Instant horizon = now.minus(interval);
    while (!starts.isEmpty() && starts.peekFirst().isBefore(horizon)) {
      starts.removeFirst();
    }
  }
}

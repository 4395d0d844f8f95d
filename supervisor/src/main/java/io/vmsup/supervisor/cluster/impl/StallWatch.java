package io.vmsup.supervisor.cluster.impl;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Sees this JVM stall (frozen by SIGSTOP, a long GC or safepoint pause, a suspended machine): a thread of its own
 * wakes every {@value #BEAT_MS} ms, and a gap between two wake-ups longer than the stall limit is a stall, after which
 * the member does not stand for the hold time. A busy or blocked event loop is not a stall: Hazelcast's heartbeats run
 * on threads of their own meanwhile, so the others do not lose this member and its view stays current. (The watch
 * ran on an event loop until session 7: at load 40-77 loops busy loading classes came late by 2-20 s and took
 * members out of standing for 7 s each time, though their JVM never stopped.) Its state is read from any thread.
 */
final class StallWatch {

  private static final Logger LOG = Logger.getLogger(Standing.class.getName());
  static final long BEAT_MS = 250;

  private final LongSupplier clock;
  private final long stallNanos;
  private final long holdNanos;
  private final AtomicLong lastBeat;
  private final AtomicLong holdUntil;
  private final AtomicLong stalls = new AtomicLong();
  private volatile Thread thread;

  StallWatch(LongSupplier clock, long stallNanos, long holdNanos) {
    this.clock = clock;
    this.stallNanos = stallNanos;
    this.holdNanos = holdNanos;
    long now = clock.getAsLong();
    this.lastBeat = new AtomicLong(now);
    this.holdUntil = new AtomicLong(now);
  }

  /** Starts the watch's thread (a daemon thread; {@link #stop} ends it). */
  void start() {
    Thread t = new Thread(this::run, "vmsup-stall-watch");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  void stop() {
    Thread t = thread;
    thread = null;
    if (t != null) {
      t.interrupt();
    }
  }

  private void run() {
    while (thread == Thread.currentThread()) {
      try {
        TimeUnit.MILLISECONDS.sleep(BEAT_MS);
      } catch (InterruptedException stopped) {
        return;
      }
      beat();
    }
  }

  /** One wake-up: a gap over the limit since the last one is a stall. */
  void beat() {
    long now = clock.getAsLong();
    long gap = now - lastBeat.get();
    if (gap > stallNanos) {
      // before the beat: a reader that sees this beat sees the hold too
      holdUntil.set(now + holdNanos);
      stalls.incrementAndGet();
      LOG.warning("fleet: this member stalled for " + gap / 1_000_000 + " ms; it does not run relocatable VMs"
          + " nor renew its fencing lease for " + TimeUnit.NANOSECONDS.toSeconds(holdNanos) + " s");
    }
    lastBeat.set(now);
  }

  /** False during a stall not yet seen by a beat (the last beat is too old) and during the hold after one. */
  boolean clear() {
    long beat = lastBeat.get();
    long hold = holdUntil.get();
    long now = clock.getAsLong();
    return now - beat < stallNanos && now - hold >= 0;
  }

  /** Stalls seen so far. */
  long stalls() {
    return stalls.get();
  }
}

package io.vmsup.supervisor.fence.impl;

import io.vmsup.supervisor.fence.Victim;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The watchdog's lease: the victims of the last renewal, each with the start time its pid had when the watchdog first
 * saw it, and the deadline on the watchdog's own monotonic clock (a change of the wall clock neither fences nor
 * delays). Shared by the connection threads and the main thread: every method is synchronized (the watchdog has
 * no event loop; a renewal every few seconds contends with nothing).
 */
final class Lease {

  /** A victim and the start time of its pid when first seen. */
  record Held(Victim victim, long startTime) {
  }

  private final Map<String, Held> held = new HashMap<>();
  private long deadlineNanos;
  private boolean armed;
  private long renewals;

  /**
   * Takes a renewal: the deadline moves to now + {@code fenceAfterMs}; a victim whose pid is new (or changed) has its
   * start time read now, and one whose process is already gone is left out.
   */
  synchronized void renew(List<Victim> victims, long fenceAfterMs) throws IOException {
    Map<String, Held> next = new HashMap<>();
    for (Victim v : victims) {
      Held before = held.get(v.name());
      if (before != null && before.victim().pid() == v.pid()) {
        next.put(v.name(), before);
        continue;
      }
      OptionalLong start = ProcVictims.startTime(v.pid());
      if (start.isPresent() && ProcVictims.namesVm(v.pid(), v.name())) {
        next.put(v.name(), new Held(v, start.getAsLong()));
      }
    }
    held.clear();
    held.putAll(next);
    deadlineNanos = System.nanoTime() + fenceAfterMs * 1_000_000L;
    armed = true;
    renewals++;
  }

  /** The victims now guarded. */
  synchronized List<Held> held() {
    return new ArrayList<>(held.values());
  }

  /** Nanoseconds until the deadline (negative: passed); {@code Long.MAX_VALUE} before the first renewal. */
  synchronized long remainingNanos() {
    return armed ? deadlineNanos - System.nanoTime() : Long.MAX_VALUE;
  }

  synchronized long renewals() {
    return renewals;
  }
}

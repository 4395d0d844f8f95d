package io.vmsup.supervisor.fence;

import java.time.Duration;

/**
 * The fencing watchdog's settings (docs/fleet.md, "Fencing watchdog").
 *
 * @param enabled whether the daemon runs a watchdog and renews its lease (off by default; a fleet with relocatable
 *     VMs needs it on every member)
 * @param fenceAfter how long the lease lasts without a renewal: past it the watchdog kills the host's relocatable
 *     QEMUs. A fleet relocates a lost host's VMs only after this plus a margin
 */
public record FenceSettings(boolean enabled, Duration fenceAfter) {

  /** Default lease: 15 s. */
  public static final Duration DEFAULT_FENCE_AFTER = Duration.ofSeconds(15);

  public FenceSettings {
    if (fenceAfter.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("fenceAfter must be at least 1 s, not " + fenceAfter);
    }
  }

  /** No watchdog (the default). */
  public static FenceSettings off() {
    return new FenceSettings(false, DEFAULT_FENCE_AFTER);
  }

  /** How often the daemon renews: five times per lease, so that a late renewal or two does not fence. */
  public Duration renewEvery() {
    return fenceAfter.dividedBy(5);
  }
}

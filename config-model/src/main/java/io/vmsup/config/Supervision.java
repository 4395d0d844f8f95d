package io.vmsup.config;

import java.time.Duration;

/**
 * How the supervisor runs the VM (JSON key {@code supervision}; every field optional). Durations are written as
 * {@code "500ms"}, {@code "30s"}, {@code "2m"} or {@code "1h"}.
 *
 * @param restart            restart policy, default {@link RestartPolicy#NEVER}
 * @param stopGrace          time the guest gets to power off after an ACPI powerdown, default 30 s
 * @param backoffInitial     first restart delay, default 1 s; doubles on each restart
 * @param backoffMax         upper bound of the restart delay, default 60 s
 * @param backoffReset       a run that lasted this long resets the back-off (stable period), default 60 s
 * @param startLimitBurst    at most this many starts within {@code startLimitInterval}, default 5
 * @param startLimitInterval window of the start limit, default 60 s
 * @param startPaused        start with the CPUs stopped ({@code -S}), default false
 * @param onHostLoss         what a fleet does when the VM's host is lost, default {@link HostLossPolicy#WAIT}
 */
public record Supervision(RestartPolicy restart, Duration stopGrace, Duration backoffInitial, Duration backoffMax,
    Duration backoffReset, int startLimitBurst, Duration startLimitInterval, boolean startPaused,
    HostLossPolicy onHostLoss) {

  /** All defaults. */
  public static Supervision defaults() {
    return new Supervision(RestartPolicy.NEVER, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofSeconds(60), 5, Duration.ofSeconds(60), false, HostLossPolicy.WAIT);
  }
}

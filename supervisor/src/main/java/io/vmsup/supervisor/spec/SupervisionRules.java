package io.vmsup.supervisor.spec;

import java.time.Duration;

/** The supervision part of a VM spec, as the supervisor uses it. */
public record SupervisionRules(RestartMode restart, Duration stopGrace, Duration backoffInitial, Duration backoffMax,
    Duration backoffReset, int startLimitBurst, Duration startLimitInterval, boolean startPaused) {
}

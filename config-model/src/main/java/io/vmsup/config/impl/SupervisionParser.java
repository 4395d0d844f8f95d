package io.vmsup.config.impl;

import io.vmsup.config.HostLossPolicy;
import io.vmsup.config.RestartPolicy;
import io.vmsup.config.Supervision;
import java.time.Duration;

/** Reads {@code supervision}; every field optional. */
final class SupervisionParser {

  private SupervisionParser() {
  }

  static Supervision parse(Obj o) {
    Supervision d = Supervision.defaults();
    Supervision s = new Supervision(o.enumOf("restart", RestartPolicy.class, d.restart()),
        o.optDuration("stopGrace").orElse(d.stopGrace()),
        o.optDuration("backoffInitial").orElse(d.backoffInitial()),
        o.optDuration("backoffMax").orElse(d.backoffMax()),
        o.optDuration("backoffReset").orElse(d.backoffReset()),
        o.integer("startLimitBurst", d.startLimitBurst(), 1, 1000),
        o.optDuration("startLimitInterval").orElse(d.startLimitInterval()),
        o.bool("startPaused", d.startPaused()),
        o.enumOf("onHostLoss", HostLossPolicy.class, d.onHostLoss()));
    o.problems().check(s.backoffInitial().compareTo(s.backoffMax()) <= 0, o.at("backoffMax"),
        "must be at least backoffInitial (" + s.backoffInitial().toMillis() + " ms)");
    o.problems().check(!s.startLimitInterval().equals(Duration.ZERO), o.at("startLimitInterval"),
        "must be greater than 0");
    o.end();
    return s;
  }
}

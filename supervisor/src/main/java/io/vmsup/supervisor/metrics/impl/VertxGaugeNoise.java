package io.vmsup.supervisor.metrics.impl;

import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Drops Micrometer's "This Gauge has been already registered" warning for Vert.x's own gauges, and only those.
 * vertx-micrometer (5.0.7) registers a connection's or request's gauge again at every connection and request
 * ({@code vertx.net.client.active.connections} at each QMP connect, {@code vertx.http.server.active.*} at each HTTP
 * request, ...) and counts through its own adder, so a second registration of the same id is its design, not two
 * gauges; Micrometer (since 1.14) warns about the first such re-registration in a JVM. A re-registration of one of
 * vmsup's own gauges (a new state object for a VM's gauge would be ignored) still reaches the log.
 */
final class VertxGaugeNoise {

  /** Micrometer's logger for the warning; held here because java.util.logging keeps loggers only weakly. */
  private static final Logger METER_REGISTRY = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
  private static final String VERTX_GAUGE = "has been already registered (MeterId{name='vertx.";

  static final Filter FILTER = record -> record.getMessage() == null
      || !record.getMessage().contains(VERTX_GAUGE);

  private VertxGaugeNoise() {
  }

  /** Installs the filter on Micrometer's registry logger (idempotent). */
  static void install() {
    METER_REGISTRY.setFilter(FILTER);
  }
}

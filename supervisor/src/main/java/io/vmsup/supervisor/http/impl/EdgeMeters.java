package io.vmsup.supervisor.http.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vmsup.supervisor.http.EdgeGuard;
import io.vmsup.supervisor.metrics.MetricNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The edge's meters: refusals by reason (all registered up front, so they read 0 before the first) and gauges. */
final class EdgeMeters {

  private static final List<String> REASONS = List.of(EdgeGuard.UNAUTHENTICATED_CAP, EdgeGuard.ADDRESS_CAP,
      EdgeGuard.HEADER_TIMEOUT, EdgeGuard.IDLE_TIMEOUT, EdgeGuard.RATE_LIMIT);

  private final Map<String, Counter> refusals = new HashMap<>();

  EdgeMeters(MeterRegistry registry, EdgeGuard guard) {
    if (registry == null) {
      return;
    }
    for (String reason : REASONS) {
      refusals.put(reason, Counter.builder(MetricNames.HTTP_EDGE_REFUSALS)
          .description("connections and requests refused or cut at the HTTP edge")
          .tag(MetricNames.TAG_REASON, reason).register(registry));
    }
    Gauge.builder(MetricNames.HTTP_CONNECTIONS, guard, EdgeGuard::authenticatedConnections)
        .description("open HTTP connections").tag(MetricNames.TAG_CLASS, "authenticated").register(registry);
    Gauge.builder(MetricNames.HTTP_CONNECTIONS, guard, EdgeGuard::unauthenticatedConnections)
        .description("open HTTP connections").tag(MetricNames.TAG_CLASS, "unauthenticated").register(registry);
  }

  void refused(String reason) {
    Counter counter = refusals.get(reason);
    if (counter != null) {
      counter.increment();
    }
  }
}

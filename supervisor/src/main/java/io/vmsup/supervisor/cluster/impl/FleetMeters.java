package io.vmsup.supervisor.cluster.impl;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vmsup.supervisor.metrics.MetricNames;
import java.time.Duration;

/**
 * The fleet's meters. Gauges read the cluster manager and the host card when scraped; the forward timer exists once
 * a registry is bound (before that, forwards are not timed).
 */
final class FleetMeters {

  private MeterRegistry registry;
  private HazelcastClusterManager manager;
  private HostCard card;

  void bind(MeterRegistry r) {
    registry = r;
    Gauge.builder(MetricNames.CLUSTER_MEMBERS, this, FleetMeters::members)
        .description("members of the fleet's cluster this daemon sees, itself included").register(r);
    Gauge.builder(MetricNames.HOST_MEMORY_COMMITTED, this, FleetMeters::committed).baseUnit("bytes")
        .description("guest RAM of this host's VMs that have a QEMU process").register(r);
  }

  void watch(HazelcastClusterManager m, HostCard c) {
    manager = m;
    card = c;
  }

  private double members() {
    return manager == null ? Double.NaN : manager.getNodes().size();
  }

  private double committed() {
    return card == null ? Double.NaN : card.committed();
  }

  /** Times one request the router answered through a host. */
  void forwarded(String op, boolean remote, boolean ok, long nanos) {
    if (registry != null) {
      Timer.builder(MetricNames.CLUSTER_FORWARD).description("requests this member's router passed to a host")
          .tags(MetricNames.TAG_OP, op, MetricNames.TAG_TARGET, remote ? "remote" : "local",
              MetricNames.TAG_OUTCOME, ok ? "ok" : "failed")
          .register(registry).record(Duration.ofNanos(nanos));
    }
  }
}

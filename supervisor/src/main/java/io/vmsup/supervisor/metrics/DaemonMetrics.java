package io.vmsup.supervisor.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vmsup.supervisor.metrics.impl.DaemonMetricsImpl;
import java.time.Duration;

/**
 * The daemon's metrics: one Prometheus registry shared by Vert.x's own metrics (event bus, HTTP), JVM metrics and
 * vmsup's per-VM and QMP meters ({@link MetricNames}).
 *
 * <p>Create it before Vert.x: {@code Vertx.builder().with(new VertxOptions().setMetricsOptions(m.vertxOptions()))
 * .withMetrics(m.vertxFactory())}.
 */
public interface DaemonMetrics {

  /**
   * A new registry. The three JVM meters whose Prometheus names {@code promtool check metrics} rejects are denied
   * before any meter exists.
   *
   * @param registryName unique per Vert.x instance (vertx-micrometer keeps a static map by name)
   */
  static DaemonMetrics create(String registryName) {
    return new DaemonMetricsImpl(registryName);
  }

  PrometheusMeterRegistry registry();

  /** Vert.x metrics options (JVM metrics on) naming this registry. */
  MetricsOptions vertxOptions();

  /** The factory that makes Vert.x report into this registry. */
  VertxMetricsFactory vertxFactory();

  /**
   * The Prometheus text exposition, rendered off the event loop; scrapes asked while a render is under way share its
   * page (one render at a time).
   */
  Future<String> scrape(Vertx vertx);

  /** The OpenMetrics 1.0 text exposition ({@code application/openmetrics-text}), rendered off the event loop. */
  Future<String> scrapeOpenMetrics(Vertx vertx);

  /** QMP observers, one per VM (the supervisor hands them to each VM's QMP client). */
  QmpMetrics qmp();

  /**
   * Starts collecting per-VM meters: every {@code interval} each VM is sampled (supervisor state, {@code /proc},
   * QMP queries bounded by {@code qmpTimeout}). A scrape never waits on a collection. A VM that disappears from the
   * source loses all its series.
   */
  default VmCollector startCollector(Vertx vertx, VmSource source, Duration interval, Duration qmpTimeout) {
    return startCollector(vertx, source, interval, qmpTimeout, SAMPLES_PER_SECOND);
  }

  /**
   * Host-wide budget of per-VM samples a second (each: one bus request with three QMP queries, a {@code /proc} read,
   * cgroup and NIC counters): every VM is sampled each interval up to {@code SAMPLES_PER_SECOND x interval} VMs
   * (1,000 at the default 5 s), each VM every {@code VMs / SAMPLES_PER_SECOND} seconds beyond (50 s at 10,000).
   */
  int SAMPLES_PER_SECOND = 200;

  /**
   * Like {@link #startCollector(Vertx, VmSource, Duration, Duration)}, with at most {@code samplesPerSecond} VM
   * samples a second over all VMs: beyond {@code samplesPerSecond x interval} VMs each VM's period grows with their
   * number.
   */
  VmCollector startCollector(Vertx vertx, VmSource source, Duration interval, Duration qmpTimeout,
      int samplesPerSecond);
}

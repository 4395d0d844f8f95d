package io.vmsup.supervisor.metrics.impl;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vmsup.supervisor.metrics.DaemonMetrics;
import io.vmsup.supervisor.metrics.QmpMetrics;
import io.vmsup.supervisor.metrics.VmCollector;
import io.vmsup.supervisor.metrics.VmSource;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

public final class DaemonMetricsImpl implements DaemonMetrics {

  // promtool check metrics rejects what these become (jvm_compilation_time_ms_total: non-base unit;
  // process_cpu_time_ns_total: non-base unit; system_cpu_count: reserved _count suffix)
  static final Set<String> DENIED = Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

  private final String registryName;
  private final PrometheusMeterRegistry registry;
  private final QmpMetricsImpl qmp;
  private final AtomicReference<Future<String>> text = new AtomicReference<>();
  private final AtomicReference<Future<String>> open = new AtomicReference<>();

  public DaemonMetricsImpl(String registryName) {
    this.registryName = registryName;
    VertxGaugeNoise.install();
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // before any meter exists: a filter does not apply to meters registered earlier
    registry.config().meterFilter(MeterFilter.deny(id -> DENIED.contains(id.getName())));
    this.qmp = new QmpMetricsImpl(registry);
  }

  @Override
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public MetricsOptions vertxOptions() {
    // no event-bus meters: each message cost several meter lookups and a gauge registration on the sending and the
    // receiving thread (the pass-through's hot path), and every per-VM address (vmsup.internal.vm.NAME,
    // vmsup.internal.qmp.NAME, vmsup.events.NAME) made its own series: 7 per address, unbounded with the VM count
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setRegistryName(registryName);
  }

  @Override
  public VertxMetricsFactory vertxFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** The media type Micrometer renders OpenMetrics 1.0 for. */
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  @Override
  public Future<String> scrape(Vertx vertx) {
    return shared(text, vertx, registry::scrape);
  }

  @Override
  public Future<String> scrapeOpenMetrics(Vertx vertx) {
    return shared(open, vertx, () -> registry.scrape(OPENMETRICS));
  }

  /**
   * One render at a time per format: a scrape asked while a render is under way gets that render's page (at 10,000
   * VMs a page is ~230,000 series, seconds of CPU and megabytes of text: ten scrapers at once must not mean ten
   * renders and ten pages). Each caller's future completes on its own context.
   */
  private static Future<String> shared(AtomicReference<Future<String>> slot, Vertx vertx,
      java.util.concurrent.Callable<String> render) {
    ContextInternal caller = (ContextInternal) vertx.getOrCreateContext();
    Promise<String> mine = caller.promise();
    while (true) {
      Future<String> current = slot.get();
      if (current != null && !current.isComplete()) {
        current.onComplete(mine);
        return mine.future();
      }
      Promise<String> fresh = Promise.promise();
      if (slot.compareAndSet(current, fresh.future())) {
        fresh.future().onComplete(mine);
        vertx.executeBlocking(render, false).onComplete(fresh);
        return mine.future();
      }
    }
  }

  @Override
  public QmpMetrics qmp() {
    return qmp;
  }

  @Override
  public VmCollector startCollector(Vertx vertx, VmSource source, Duration interval, Duration qmpTimeout,
      int samplesPerSecond) {
    VmCollectorImpl collector = new VmCollectorImpl(vertx, registry, qmp, source, qmpTimeout, samplesPerSecond);
    collector.start(interval);
    return collector;
  }
}

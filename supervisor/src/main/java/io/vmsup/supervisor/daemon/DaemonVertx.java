package io.vmsup.supervisor.daemon;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.transport.Transport;

/**
 * {@link Vertx#builder()} for the daemon, plus its {@link IdlePools}: the public builder has no way to hand Vert.x
 * an executor factory, so this one fills Vert.x's internal bootstrap the way the public builder does (options,
 * metrics, tracer, the preferred transport, a cluster manager) and adds the pools. The one use of the internal API.
 */
final class DaemonVertx implements VertxBuilder {

  private VertxOptions options;
  private VertxMetricsFactory metrics;
  private VertxTracerFactory tracer;
  private Transport transport;
  private ClusterManager clusterManager;

  @Override
  public VertxBuilder with(VertxOptions options) {
    this.options = options;
    return this;
  }

  @Override
  public VertxBuilder withMetrics(VertxMetricsFactory factory) {
    this.metrics = factory;
    return this;
  }

  @Override
  public VertxBuilder withTracer(VertxTracerFactory factory) {
    this.tracer = factory;
    return this;
  }

  @Override
  public VertxBuilder withTransport(Transport transport) {
    this.transport = transport;
    return this;
  }

  @Override
  public VertxBuilder withClusterManager(ClusterManager clusterManager) {
    this.clusterManager = clusterManager;
    return this;
  }

  @Override
  public Vertx build() {
    return bootstrap().init().vertx();
  }

  @Override
  public Future<Vertx> buildClustered() {
    return bootstrap().clusterManager(clusterManager).init().clusteredVertx();
  }

  private VertxBootstrap bootstrap() {
    VertxBootstrap b = VertxBootstrap.create();
    if (options != null) {
      b.options(options);
    }
    b.metricsFactory(metrics).tracerFactory(tracer).executorServiceFactory(new IdlePools());
    Transport chosen = transport;
    if (chosen == null && options != null && options.getPreferNativeTransport()) {
      chosen = Transport.nativeTransport();
    }
    b.transport((chosen == null ? Transport.NIO : chosen).implementation());
    return b;
  }
}

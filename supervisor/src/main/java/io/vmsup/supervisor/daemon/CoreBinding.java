package io.vmsup.supervisor.daemon;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vmsup.supervisor.metrics.QmpMetrics;
import io.vmsup.supervisor.metrics.VmSource;

/** The supervisor core as the daemon sees it: started on the daemon's Vert.x, read by metrics, shut down last. */
public interface CoreBinding {

  /** Starts the core; the daemon calls it once Vert.x and the metrics exist. */
  @FunctionalInterface
  interface Starter {
    Future<CoreBinding> start(Vertx vertx, DaemonConfig config, QmpMetrics qmpMetrics);
  }

  /** The VMs, for the metrics collector. */
  VmSource vmSource();

  /**
   * The VMs with a QEMU whose spec says {@code supervision.onHostLoss: relocate}, for the fencing watchdog's lease.
   * Read on the event loop: must not block.
   */
  default java.util.List<io.vmsup.supervisor.fence.Victim> relocatable() {
    return java.util.List.of();
  }

  /** Whether this host may run relocatable VMs now (a fleet member cut off may not); the fence lease's gate. */
  default java.util.function.BooleanSupplier standing() {
    return () -> true;
  }

  /** Registers the core's own meters beyond the VMs' (the fleet's, in a cluster); none by default. */
  default void bindMeters(io.micrometer.core.instrument.MeterRegistry registry) {
  }

  /** Flushes state; stops the VMs only when the config says so. */
  Future<Void> shutdown();
}

package io.vmsup.supervisor.metrics;

import io.vertx.core.Future;

/** The running per-VM collection; see {@link DaemonMetrics#startCollector}. */
public interface VmCollector {

  /** Collects now (tests, and the first sample after start); completes when every VM was sampled. */
  Future<Void> collectNow();

  /**
   * Stops the timer and the following of state events; completes once the samples already asked have ended (each
   * within the QMP timeout), so a shutdown that follows finds no sample request still on its way to a VM. A
   * collection asked after the stop does nothing. The meters stay until the registry is closed.
   */
  Future<Void> stop();
}

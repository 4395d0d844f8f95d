package io.vmsup.supervisor.metrics;

import io.vertx.core.Future;

/** The running per-VM collection; see {@link DaemonMetrics#startCollector}. */
public interface VmCollector {

  /** Collects now (tests, and the first sample after start); completes when every VM was sampled. */
  Future<Void> collectNow();

  /** Stops the timer; the meters stay until the registry is closed. */
  void stop();
}

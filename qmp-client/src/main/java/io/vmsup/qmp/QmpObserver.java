package io.vmsup.qmp;

/**
 * Hooks for metrics. Every callback runs on the connection's context and must return quickly (no blocking,
 * no I/O). Tag values are bounded: command and event names come from QEMU's schema.
 */
public interface QmpObserver {

  /** An observer that ignores everything (the default). */
  QmpObserver NOOP = new QmpObserver() {
  };

  /**
   * A command finished.
   *
   * @param command the QMP command name
   * @param nanos time from sending to the outcome
   * @param outcome one of {@code ok}, {@code error} (the server's error reply, or an undecodable result),
   *     {@code timeout}, {@code closed}
   */
  default void commandCompleted(String command, long nanos, String outcome) {
  }

  /** An event arrived from the server (after negotiation). */
  default void eventReceived(String name) {
  }

  /**
   * An event was dropped for one subscriber whose buffer was full.
   *
   * @param subscriber the subscription's event-name filter, or {@code *} for an all-events subscription
   */
  default void eventDropped(String subscriber) {
  }
}

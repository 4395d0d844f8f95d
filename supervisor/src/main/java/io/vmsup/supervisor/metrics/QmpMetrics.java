package io.vmsup.supervisor.metrics;

/**
 * QMP meters: command latency by command and outcome, events by name, timeouts and dropped events, each tagged
 * with the VM. Thread-safe (Micrometer meters).
 */
public interface QmpMetrics {

  /** Outcome tag of a command that got a {@code return}. */
  String OK = "ok";
  /** Outcome tag of a command that timed out. */
  String TIMEOUT = "timeout";

  /**
   * Records one command.
   *
   * @param outcome {@code ok}, {@code timeout}, {@code closed}, or the QMP error class ({@code GenericError}...)
   */
  void commandCompleted(String vm, String command, long nanos, String outcome);

  void eventReceived(String vm, String event);

  void eventDropped(String vm);

  /** Counts a QMP timeout seen outside a command's own timer (a collection that QEMU did not answer). */
  void timedOut(String vm);
}

package io.vmsup.supervisor.metrics;

import io.vmsup.qmp.QmpObserver;

/**
 * QMP meters: command latency by command and outcome, events by name, timeouts and dropped events, each tagged
 * with the VM. Thread-safe (Micrometer meters).
 */
public interface QmpMetrics {

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

  /**
   * The observer to put into the {@code QmpOptions} of one VM's QMP client: its callbacks become the meters
   * above, tagged {@code vm=<name>}.
   */
  default QmpObserver observer(String vm) {
    QmpMetrics metrics = this;
    return new QmpObserver() {
      @Override
      public void commandCompleted(String command, long nanos, String outcome) {
        metrics.commandCompleted(vm, command, nanos, outcome);
      }

      @Override
      public void eventReceived(String name) {
        metrics.eventReceived(vm, name);
      }

      @Override
      public void eventDropped(String subscriber) {
        metrics.eventDropped(vm);
      }
    };
  }

  /** Counts a QMP timeout seen outside a command's own timer (a collection that QEMU did not answer). */
  void timedOut(String vm);
}

package io.vmsup.supervisor.api;

/** The lifecycle states of a supervised VM; the allowed transitions are in {@code vm.VmStateMachine}. */
public enum VmState {
  /** Known (spec stored) but never started by this daemon. */
  DEFINED,
  /** QEMU spawned, waiting for QMP to answer {@code query-status}. */
  STARTING,
  /** QEMU runs and answers QMP. */
  RUNNING,
  /** QEMU runs, the guest's CPUs are stopped ({@code -S} start or {@code pause}). */
  PAUSED,
  /** The stop ladder runs. */
  STOPPING,
  /** QEMU exited cleanly (stop, guest power-off). */
  STOPPED,
  /** QEMU exited unexpectedly (killed, panic, died while the daemon was down). */
  CRASHED,
  /** A start failed, the start limit was hit, or a found process could not be proven ours. */
  FAILED,
  /**
   * Cannot tell: the evidence about the VM's QEMU could not be read (reason {@code liveness-unknown}: EMFILE, EACCES,
   * any I/O error on {@code /proc}), so it is neither declared dead nor restarted nor killed. Retried on a timer;
   * the VM returns to its real state once the evidence is read again. The one state for every "cannot tell".
   */
  UNKNOWN;

  /** The name used in JSON: the constant's name ({@code "RUNNING"}). */
  public String json() {
    return name();
  }

  /** True when a QEMU process is (or may be) alive in this state; UNKNOWN counts: it is never proven dead. */
  public boolean hasProcess() {
    return this == STARTING || this == RUNNING || this == PAUSED || this == STOPPING || this == UNKNOWN;
  }
}

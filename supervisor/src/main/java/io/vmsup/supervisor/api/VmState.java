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
  FAILED;

  /** The name used in JSON: the constant's name ({@code "RUNNING"}). */
  public String json() {
    return name();
  }

  /** True when a QEMU process is (or may be) alive in this state. */
  public boolean hasProcess() {
    return this == STARTING || this == RUNNING || this == PAUSED || this == STOPPING;
  }
}

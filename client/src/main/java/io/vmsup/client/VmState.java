package io.vmsup.client;

/** A VM's lifecycle state, as the daemon reports it (docs/event-bus-api.md, "Lifecycle"). */
public enum VmState {
  DEFINED, STARTING, RUNNING, PAUSED, STOPPING, STOPPED, CRASHED, FAILED,
  /** The daemon cannot tell whether QEMU lives (unreadable evidence, or the VM's host was lost). */
  UNKNOWN
}

package io.vmsup.qmp;

/**
 * The states of a QMP connection, in the order a connection passes through them (QEMU's Python client calls
 * this {@code Runstate}). A connection never goes back.
 */
public enum QmpState {
  /** Connecting the socket and waiting for the greeting (events before the greeting are skipped). */
  CONNECTING,
  /** Greeting received, {@code qmp_capabilities} sent. */
  NEGOTIATING,
  /** Commands and events flow. */
  RUNNING,
  /** Closing the socket; pending commands are about to fail. */
  CLOSING,
  /** Closed; every operation fails with {@link QmpClosedException}. */
  CLOSED
}

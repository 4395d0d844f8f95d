package io.vmsup.qmp;

/**
 * The connection closed (peer death, a protocol error, or {@link QmpClient#close()}) while a command was
 * pending, or a command was issued after it closed. {@link #getCause()} carries the protocol error, when
 * one caused the close.
 */
public final class QmpClosedException extends QmpException {

  private final String reason;
  private final boolean wasPending;

  public QmpClosedException(String reason) {
    this(reason, null);
  }

  /** A command issued once the connection was no longer running: it was never sent. */
  public QmpClosedException(String reason, Throwable cause) {
    this(reason, cause, false);
  }

  /** {@code wasPending}: the command had been issued on the running connection and had no reply yet. */
  public QmpClosedException(String reason, Throwable cause, boolean wasPending) {
    super("QMP connection closed: " + reason, cause);
    this.reason = reason;
    this.wasPending = wasPending;
  }

  /**
   * True when the command was pending (issued on the running connection, so QEMU may have received and run it) when
   * the connection closed: whether it took effect cannot be told. False when it was issued after the close and never
   * sent.
   */
  public boolean wasPending() {
    return wasPending;
  }

  /** Why the connection closed, for example {@code connection closed by peer}. */
  public String reason() {
    return reason;
  }
}

package io.vmsup.qmp;

/**
 * The connection closed (peer death, a protocol error, or {@link QmpClient#close()}) while a command was
 * pending, or a command was issued after it closed. {@link #getCause()} carries the protocol error, when
 * one caused the close.
 */
public final class QmpClosedException extends QmpException {

  private final String reason;

  public QmpClosedException(String reason) {
    this(reason, null);
  }

  public QmpClosedException(String reason, Throwable cause) {
    super("QMP connection closed: " + reason, cause);
    this.reason = reason;
  }

  /** Why the connection closed, for example {@code connection closed by peer}. */
  public String reason() {
    return reason;
  }
}

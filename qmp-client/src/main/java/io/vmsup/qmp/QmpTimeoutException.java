package io.vmsup.qmp;

import java.time.Duration;

/**
 * A command got no reply, or an awaited event did not arrive, within its timeout. The connection stays open:
 * a late reply to a timed-out command is dropped quietly and later commands are not held back.
 */
public final class QmpTimeoutException extends QmpException {

  private final String command;
  private final Duration timeout;

  public QmpTimeoutException(String command, Duration timeout) {
    super(command + ": no answer within " + timeout.toMillis() + " ms", null);
    this.command = command;
    this.timeout = timeout;
  }

  /** The QMP command name, or {@code event NAME} for {@link QmpClient#awaitEvent}. */
  public String command() {
    return command;
  }

  public Duration timeout() {
    return timeout;
  }
}

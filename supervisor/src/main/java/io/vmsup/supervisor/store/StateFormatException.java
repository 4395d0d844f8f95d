package io.vmsup.supervisor.store;

/** The state directory's format stops the daemon: newer than it knows, unreadable, or an upgrade failed. */
public final class StateFormatException extends RuntimeException {

  public StateFormatException(String message) {
    super(message, null, false, false);
  }

  public StateFormatException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}

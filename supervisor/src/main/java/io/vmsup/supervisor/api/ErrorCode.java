package io.vmsup.supervisor.api;

/**
 * Failure codes of the event-bus API (placeholder of the contract until the supervisor core lands).
 */
public enum ErrorCode {
  INVALID(400),
  NOT_FOUND(404),
  CONFLICT(409),
  UNAVAILABLE(503),
  INTERNAL(500);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}

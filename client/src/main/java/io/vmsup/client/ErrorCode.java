package io.vmsup.client;

import java.util.Locale;

/**
 * The failure codes of the daemon's event-bus commands, as they travel on the wire: the numeric code of the
 * {@code ReplyException} (equal to the HTTP status the daemon's HTTP API answers with) and the {@code "error"} label
 * of the failure body. A mirror of the daemon's own list, kept here so that a service depends on nothing of the daemon.
 */
public enum ErrorCode {
  /** The request or the VM spec is invalid; {@link VmsupException#violations()} lists every problem. */
  INVALID(400, "invalid"),
  /** The token presented in the request's {@code authorization} header matches no token of the daemon. */
  UNAUTHORIZED(401, "unauthorized"),
  /** The caller may not do this: a read-only token, or a QMP command the pass-through policy refuses. */
  FORBIDDEN(403, "forbidden"),
  /** No VM of that name (anywhere in the fleet). */
  NOT_FOUND(404, "not-found"),
  /** A VM of that name exists, or the VM's state does not allow the command. */
  CONFLICT(409, "conflict"),
  /** Anything else: a start failure, a QMP error, an I/O error; also any code this client does not know. */
  INTERNAL(500, "internal"),
  /**
   * No answer: QEMU did not answer in time, or no daemon answered the request within the client's timeout, or no
   * daemon is registered at the address.
   */
  UNAVAILABLE(503, "unavailable"),
  /** The command's effect happened (or was undone, as the message says) but the daemon could not write its state. */
  NOT_PERSISTED(507, "not-persisted"),
  /**
   * A conditional command's condition does not hold: the VM's spec is no longer the version named (a replace with
   * {@code ifMatch}); the failure body carries the current one.
   */
  PRECONDITION_FAILED(412, "precondition-failed"),
  /** The request is larger than the daemon takes for it (a QMP pass-through command over 64 KiB as JSON). */
  TOO_LARGE(413, "too-large");

  private final int code;
  private final String label;

  ErrorCode(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The numeric code, equal to the HTTP status. */
  public int code() {
    return code;
  }

  /** The {@code "error"} member of a failure body. */
  public String label() {
    return label;
  }

  /**
   * The code a failure names: its {@code error} label when it is one of ours, else its numeric code, else
   * {@link #INTERNAL}.
   */
  public static ErrorCode of(String label, int code) {
    if (label != null) {
      String wanted = label.trim().toLowerCase(Locale.ROOT);
      for (ErrorCode c : values()) {
        if (c.label.equals(wanted)) {
          return c;
        }
      }
    }
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}

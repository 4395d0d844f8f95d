package io.vmsup.supervisor.api;

/**
 * The failure codes of every event-bus command ({@code Message.fail(code.code(), body)}). The numbers are the HTTP
 * status codes the HTTP adapter answers with, so the mapping lives here and nowhere else.
 */
public enum ErrorCode {
  /** The request or the VM spec is invalid; the body lists every violation. */
  INVALID(400, "invalid"),
  /** The caller may not do this: a read-only token, or a QMP command the pass-through policy refuses. */
  FORBIDDEN(403, "forbidden"),
  /** No VM of that name. */
  NOT_FOUND(404, "not-found"),
  /** A VM of that name exists, or the VM is in a state that does not allow the command. */
  CONFLICT(409, "conflict"),
  /** QEMU did not answer in time (hung, stopped, overloaded). */
  UNAVAILABLE(503, "unavailable"),
  /**
   * The command's effect on the VM happened (or was undone, as the message says) but a write to the state directory
   * failed (full disk, I/O error, directory removed): the body tells the VM's actual state, what could not be
   * written and why. The daemon retries the write until the disk takes it.
   */
  NOT_PERSISTED(507, "not-persisted"),
  /** Anything else: a start failure, a QMP error, an I/O error. */
  INTERNAL(500, "internal"),
  /**
   * A bus request presented a token (the {@code authorization} message header of the Java client, a TCP-bridge
   * frame's header) that matches no token of the daemon.
   */
  UNAUTHORIZED(401, "unauthorized"),
  /**
   * A conditional request's condition does not hold: the VM's spec is not the version the caller named (a replace
   * with {@code ifMatch}); the details carry the current {@code specVersion}.
   */
  PRECONDITION_FAILED(412, "precondition-failed"),
  /**
   * The request is larger than the daemon takes for it: a QMP pass-through command whose name and arguments pass
   * 64 KiB as JSON (QEMU reads its monitor slowly); the details carry {@code path}, {@code bytes} and {@code limit}.
   */
  TOO_LARGE(413, "too-large");

  private final int code;
  private final String label;

  ErrorCode(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The numeric failure code, equal to the HTTP status. */
  public int code() {
    return code;
  }

  /** The value of the {@code "error"} member of a failure body. */
  public String label() {
    return label;
  }

  /** The code for a numeric failure code, or {@code INTERNAL} for numbers that are not ours. */
  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}

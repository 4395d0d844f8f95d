package io.vmsup.qmp;

/**
 * The server answered a command with {@code {"error": {"class": ..., "desc": ...}}}. The error class is kept
 * verbatim (known ones: {@code GenericError}, {@code CommandNotFound}, {@code DeviceNotActive},
 * {@code DeviceNotFound}, {@code KVMMissingCap}; unknown classes are kept as they are). The description is
 * for humans only: never parse it.
 */
public final class QmpErrorException extends QmpException {

  private final String errorClass;
  private final String desc;

  public QmpErrorException(String errorClass, String desc) {
    super(errorClass + ": " + desc, null);
    this.errorClass = errorClass;
    this.desc = desc;
  }

  /** The QMP error class, for example {@code CommandNotFound}. */
  public String errorClass() {
    return errorClass;
  }

  /** The human-readable description sent by the server. */
  public String desc() {
    return desc;
  }
}

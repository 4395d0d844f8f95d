package io.vmsup.qmp;

/**
 * The server sent something a QMP client cannot accept: bytes that are not JSON, a frame above the size limit,
 * a message of unknown shape, an error without an id (the server could not parse our input), or a reply whose
 * value does not decode. The connection is closed after a framing or id-less-error failure.
 */
public final class QmpProtocolException extends QmpException {

  public QmpProtocolException(String message) {
    super(message, null);
  }

  public QmpProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.vmsup.qmp;

import io.vertx.core.VertxException;

/**
 * Base of every failure the QMP client reports. Expected failures (a server error, a timeout, a closed
 * connection) carry no stack trace, in the style of {@link VertxException#noStackTrace(String)}.
 *
 * <p>Subclasses: {@link QmpErrorException}, {@link QmpTimeoutException}, {@link QmpClosedException},
 * {@link QmpConnectException}, {@link QmpProtocolException}, {@link QmpBacklogException},
 * {@link QmpUnsendableException}.
 */
public abstract class QmpException extends VertxException {

  protected QmpException(String message, Throwable cause) {
    super(message, cause, true);
  }
}

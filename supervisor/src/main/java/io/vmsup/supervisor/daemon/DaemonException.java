package io.vmsup.supervisor.daemon;

import io.vertx.core.VertxException;

/** The daemon cannot start (an expected failure: no stack trace). */
public final class DaemonException extends VertxException {

  public DaemonException(String message) {
    super(message, true);
  }
}

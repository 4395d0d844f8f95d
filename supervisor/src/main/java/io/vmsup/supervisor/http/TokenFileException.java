package io.vmsup.supervisor.http;

/**
 * The token file may not be trusted (wrong owner, readable or writable by others, too little entropy, not a plain
 * file). The message says what is wrong and how to fix it; the daemon refuses to start.
 */
public final class TokenFileException extends RuntimeException {

  public TokenFileException(String message) {
    super(message, null, false, false);
  }
}

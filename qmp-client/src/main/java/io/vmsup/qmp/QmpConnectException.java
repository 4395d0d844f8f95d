package io.vmsup.qmp;

/**
 * {@link QmpClient#connect} failed; {@link #kind()} tells why, so callers can retry on {@link Kind#NO_SOCKET}
 * (QEMU not up yet) and give up on others.
 */
public final class QmpConnectException extends QmpException {

  /** Why a connection could not be made. */
  public enum Kind {
    /** The socket path does not exist. */
    NO_SOCKET,
    /** The path exists but nobody accepts connections on it. */
    REFUSED,
    /**
     * The connection was not established within {@link QmpOptions#connectTimeout()}. A unix-socket connect
     * never waits: a full listen backlog (the listener does not accept) fails at once and is reported here.
     */
    TIMEOUT,
    /**
     * Connected, but no greeting arrived within {@link QmpOptions#greetingTimeout()} (for example another
     * client holds the monitor, or the peer is not QEMU), or the peer closed before greeting.
     */
    NO_GREETING,
    /** The peer greeted but broke the protocol, or refused {@code qmp_capabilities}. */
    PROTOCOL,
    /**
     * The socket is served by another process than {@link QmpOptions#peerCheck()} expects (a link to another
     * QEMU's socket), or its credentials cannot be read; nothing was read from it. Not worth retrying.
     */
    WRONG_PEER
  }

  private final Kind kind;

  public QmpConnectException(Kind kind, String message) {
    this(kind, message, null);
  }

  public QmpConnectException(Kind kind, String message, Throwable cause) {
    super(kind + ": " + message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

package io.vmsup.qmp;

/**
 * Who must be at the other end of a QMP socket, checked with {@code SO_PEERCRED} right after the connect, before a
 * byte is read: a socket path can be replaced by a link to another process's socket (another VM's monitor), and the
 * path alone does not tell. A connection to anyone else fails with {@link QmpConnectException.Kind#WRONG_PEER}, as
 * does one whose credentials cannot be read (the NIO transport cannot; use epoll).
 *
 * @param pid the expected process id, or 0 for any process
 * @param uid the expected user id, or -1 for any user
 */
public record QmpPeerCheck(long pid, int uid) {

  private static final QmpPeerCheck ANY = new QmpPeerCheck(0, -1);

  public QmpPeerCheck {
    if (pid < 0) {
      throw new IllegalArgumentException("pid must be >= 0: " + pid);
    }
    if (uid < -1) {
      throw new IllegalArgumentException("uid must be >= -1: " + uid);
    }
  }

  /** No check: any peer is accepted and its credentials are not required (the default of {@link QmpOptions}). */
  public static QmpPeerCheck any() {
    return ANY;
  }

  /** The peer must be process {@code pid}, whatever its user. */
  public static QmpPeerCheck process(long pid) {
    return process(pid, -1);
  }

  /** The peer must be process {@code pid} and run as {@code uid} ({@code -1}: any user). */
  public static QmpPeerCheck process(long pid, int uid) {
    if (pid <= 0) {
      throw new IllegalArgumentException("an expected peer pid must be > 0: " + pid);
    }
    return new QmpPeerCheck(pid, uid);
  }

  /** Whether this check accepts anyone. */
  public boolean acceptsAny() {
    return pid == 0 && uid == -1;
  }

  /**
   * Why {@code actual} is refused, or null when it is accepted.
   *
   * @param actual the peer's credentials, null when they could not be read
   */
  public String refusal(QmpPeer actual) {
    if (acceptsAny()) {
      return null;
    }
    if (actual == null) {
      return "the peer's credentials cannot be read, expected " + expected();
    }
    if (pid != 0 && actual.pid() != pid || uid != -1 && actual.uid() != uid) {
      return "the socket is served by " + actual + ", expected " + expected();
    }
    return null;
  }

  private String expected() {
    return (pid != 0 ? "pid " + pid : "any pid") + (uid != -1 ? " uid " + uid : "");
  }
}

package io.vmsup.qmp;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of a {@link QmpClient} connection.
 *
 * @param connectTimeout how long the unix-socket connect may take
 * @param greetingTimeout how long to wait for the server's greeting once connected
 * @param commandTimeout the default per-command timeout (each call may override it)
 * @param maxFrameBytes the largest message accepted from the server; a bigger one closes the connection
 * @param eventBufferSize how many events each subscriber may have queued before further ones are dropped
 * @param observer metrics hooks, {@link QmpObserver#NOOP} when {@code null}
 * @param peerCheck who must serve the socket ({@code SO_PEERCRED}), {@link QmpPeerCheck#any()} when {@code null}
 */
public record QmpOptions(Duration connectTimeout, Duration greetingTimeout, Duration commandTimeout,
                         int maxFrameBytes, int eventBufferSize, QmpObserver observer,
                         QmpPeerCheck peerCheck) {

  /** 10 MiB, the limit QEMU's own Python client and libvirt use. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 10 * 1024 * 1024;

  public QmpOptions {
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(greetingTimeout, "greetingTimeout");
    requirePositive(commandTimeout, "commandTimeout");
    if (maxFrameBytes < 64) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 64: " + maxFrameBytes);
    }
    if (eventBufferSize < 1) {
      throw new IllegalArgumentException("eventBufferSize must be >= 1: " + eventBufferSize);
    }
    observer = observer == null ? QmpObserver.NOOP : observer;
    peerCheck = peerCheck == null ? QmpPeerCheck.any() : peerCheck;
  }

  /** Connect 5 s, greeting 5 s, commands 30 s, frames up to 10 MiB, 1024 buffered events per subscriber, any peer. */
  public static QmpOptions defaults() {
    return new QmpOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30),
        DEFAULT_MAX_FRAME_BYTES, 1024, QmpObserver.NOOP, QmpPeerCheck.any());
  }

  public QmpOptions withConnectTimeout(Duration value) {
    return new QmpOptions(value, greetingTimeout, commandTimeout, maxFrameBytes, eventBufferSize, observer, peerCheck);
  }

  public QmpOptions withGreetingTimeout(Duration value) {
    return new QmpOptions(connectTimeout, value, commandTimeout, maxFrameBytes, eventBufferSize, observer, peerCheck);
  }

  public QmpOptions withCommandTimeout(Duration value) {
    return new QmpOptions(connectTimeout, greetingTimeout, value, maxFrameBytes, eventBufferSize, observer, peerCheck);
  }

  public QmpOptions withMaxFrameBytes(int value) {
    return new QmpOptions(connectTimeout, greetingTimeout, commandTimeout, value, eventBufferSize, observer, peerCheck);
  }

  public QmpOptions withEventBufferSize(int value) {
    return new QmpOptions(connectTimeout, greetingTimeout, commandTimeout, maxFrameBytes, value, observer, peerCheck);
  }

  public QmpOptions withObserver(QmpObserver value) {
    return new QmpOptions(connectTimeout, greetingTimeout, commandTimeout, maxFrameBytes, eventBufferSize, value,
        peerCheck);
  }

  public QmpOptions withPeerCheck(QmpPeerCheck value) {
    return new QmpOptions(connectTimeout, greetingTimeout, commandTimeout, maxFrameBytes, eventBufferSize, observer,
        value);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}

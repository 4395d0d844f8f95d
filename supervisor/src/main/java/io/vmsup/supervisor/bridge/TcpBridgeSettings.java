package io.vmsup.supervisor.bridge;

import java.time.Duration;

/**
 * The TCP event-bus bridge's settings (docs/fleet.md, "TCP event-bus bridge").
 *
 * @param port the TCP port, 0 for any free one (tests), or null: no TCP bridge (the default)
 * @param host the address it binds to
 * @param maxFrameBytes the largest frame a client may send (its 4-byte length); a larger one closes the connection
 * @param maxConnections open connections at once; more are closed at accept
 * @param firstFrame how long a new connection has to send its first complete frame; then it is closed
 */
public record TcpBridgeSettings(Integer port, String host, int maxFrameBytes, int maxConnections,
                                Duration firstFrame) {

  /** Default largest frame: 1 MiB, the HTTP API's default body limit. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;
  /** Default connection cap. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  /** Default time for the first frame. */
  public static final Duration DEFAULT_FIRST_FRAME = Duration.ofSeconds(10);

  public TcpBridgeSettings {
    if (port != null && (port < 0 || port > 65535)) {
      throw new IllegalArgumentException("tcpBridgePort must be 0-65535 or off, not " + port);
    }
    if (maxFrameBytes < 64 || maxConnections < 1 || firstFrame.isNegative() || firstFrame.isZero()) {
      throw new IllegalArgumentException("TCP bridge limits must be positive (maxFrameBytes at least 64)");
    }
  }

  /** No TCP bridge (the default). */
  public static TcpBridgeSettings off() {
    return new TcpBridgeSettings(null, "127.0.0.1", DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_CONNECTIONS,
        DEFAULT_FIRST_FRAME);
  }

  /** Whether the bridge is on. */
  public boolean enabled() {
    return port != null;
  }

  /** The same settings on {@code port} (0: any free port). */
  public TcpBridgeSettings onPort(int port) {
    return new TcpBridgeSettings(port, host, maxFrameBytes, maxConnections, firstFrame);
  }

  /** The same settings with other limits. */
  public TcpBridgeSettings withLimits(int maxFrameBytes, int maxConnections, Duration firstFrame) {
    return new TcpBridgeSettings(port, host, maxFrameBytes, maxConnections, firstFrame);
  }

  /** True when the bind address is a loopback address (or name). */
  public boolean loopbackOnly() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }
}

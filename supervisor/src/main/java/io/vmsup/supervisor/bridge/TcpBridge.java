package io.vmsup.supervisor.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vmsup.supervisor.bridge.impl.TcpBridgeImpl;
import io.vmsup.supervisor.http.Tokens;
import java.nio.file.Path;

/**
 * The Vert.x TCP event-bus bridge ({@code io.vertx:vertx-tcp-eventbus-bridge}) for services that are not on the JVM:
 * frames of a 4-byte big-endian length and a JSON object ({@code {"type":"send","address","replyAddress","headers",
 * "body"}}). The same addresses as the SockJS bridge ({@link EventBusBridge#INBOUND} in, events and console lines
 * out) and the same tokens: every frame carries {@code "headers": {"authorization": "Bearer <token>"}}; its scope is
 * stamped on the message (transport {@code tcp}) over whatever the frame said, and {@code BusGate} applies it. A
 * request with an unknown token or none is answered with an error frame, failure code 401; any other frame without a
 * valid token (publish, register) is refused with {@code {"type":"err"}}.
 *
 * <p>The library's bridge listens on a unix socket in the state directory only; clients reach it through a front
 * that owns the TCP port and passes on only complete, well-formed frames of at most {@code maxFrameBytes} (the
 * library itself buffers a frame of any announced length), closes a connection that sends a larger one, that sends no
 * complete frame within {@code firstFrame} or that does not read what it is sent (more than {@code bufferBytes}
 * queued), and caps the connections.
 */
public interface TcpBridge {

  /**
   * Starts the bridge.
   *
   * @param tls the HTTP API's certificate and key, served on the bridge's port too; null for plain TCP
   * @param socketDir the directory of the library bridge's unix socket (the state directory, mode 0700)
   * @param bufferBytes the most bytes queued for one client before it is closed as a slow reader
   */
  static Future<TcpBridge> start(Vertx vertx, Tokens tokens, TcpBridgeSettings settings, PemKeyCertOptions tls,
                                 Path socketDir, int bufferBytes) {
    return TcpBridgeImpl.start(vertx, tokens, settings, tls, socketDir, bufferBytes);
  }

  /** The TCP port it listens on. */
  int port();

  /** Stops accepting, closes every connection and the library bridge. */
  Future<Void> close();
}

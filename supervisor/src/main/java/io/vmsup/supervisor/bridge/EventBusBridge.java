package io.vmsup.supervisor.bridge;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vmsup.supervisor.bridge.impl.BridgeGuard;
import io.vmsup.supervisor.http.AccessToken;

/**
 * The SockJS event-bus bridge served at {@code /eventbus}: clients may send to {@code vmsup.vm.*} (request/reply)
 * and receive {@code vmsup.events} and {@code vmsup.events.<vm>}; nothing else crosses.
 *
 * <p>Authentication: an {@code Authorization: Bearer <token>} header on the HTTP request that opens the socket
 * (WebSocket upgrade or first SockJS request), or, for clients that cannot set headers (browsers), the same header
 * inside the frame's {@code headers} object of the first {@code send}/{@code register} frame. Until one of these
 * succeeded, every frame is refused with {@code access_denied}; the header is removed before a message reaches the
 * bus.
 */
public interface EventBusBridge {

  /** Inbound addresses a client may send to. */
  String INBOUND = "vmsup\\.vm\\..+";
  /** Outbound addresses a client may register for. */
  String OUTBOUND_ALL = "vmsup.events";
  String OUTBOUND_VM = "vmsup\\.events\\..+";

  /** A router to mount at {@code /eventbus/*}. */
  static Router router(Vertx vertx, AccessToken token) {
    return BridgeGuard.router(vertx, token);
  }
}

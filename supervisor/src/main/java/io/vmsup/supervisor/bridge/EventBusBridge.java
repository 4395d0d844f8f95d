package io.vmsup.supervisor.bridge;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vmsup.supervisor.bridge.impl.BridgeGuard;
import io.vmsup.supervisor.http.Tokens;

/**
 * The SockJS event-bus bridge served at {@code /eventbus}: clients may send to {@code vmsup.vm.*} (request/reply)
 * and receive {@code vmsup.events}, {@code vmsup.events.<vm>} and {@code vmsup.console.<vm>}; nothing else crosses.
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
  /**
   * Serial console lines of one VM ({@code vmsup.console.<vm>}). Console output may be sensitive; it crosses only to
   * sockets that presented the token, the same token that guards {@code GET /v1/vms/{name}/console}.
   */
  String OUTBOUND_CONSOLE = "vmsup\\.console\\..+";

  /** A router to mount at {@code /eventbus/*}, with the default 1 MiB send buffer per socket. */
  static Router router(Vertx vertx, Tokens tokens) {
    return router(vertx, tokens, 1 << 20);
  }

  /**
   * A router to mount at {@code /eventbus/*}. It needs a body handler in front of it for SockJS's HTTP transports
   * ({@code xhr_send}, polling); the API router provides one.
   *
   * @param bufferBytes the most bytes queued for one socket: a socket whose queue is full when a message is due is
   *     closed (the client may reconnect), so a client that does not read cannot make the daemon buffer without bound
   */
  static Router router(Vertx vertx, Tokens tokens, int bufferBytes) {
    return BridgeGuard.router(vertx, tokens, bufferBytes);
  }

  /**
   * Routes both bridges' QMP pass-through requests ({@code vmsup.vm.qmp}, {@code vmsup.vm.qmp.<name>}) as the HTTP
   * edge does: to the VM's own address first, to {@code vmsup.vm.qmp} when no handler read it there, so a client gets
   * the documented answers (404 for a VM that is not there), never the bus's "no handler". Install once, before the
   * bus gate ({@code BusGate}: interceptors run in the order they were added).
   */
  static void routePassThroughs(Vertx vertx) {
    io.vmsup.supervisor.bridge.impl.BridgePassThroughs.install(vertx);
  }
}

package io.vmsup.supervisor.bridge.impl;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vmsup.supervisor.bridge.EventBusBridge;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.http.Tokens;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the bearer token of each bridge socket. The address rules themselves are enforced by the SockJS bridge's
 * permitted options; this class only decides whether a socket is authenticated.
 */
public final class BridgeGuard {

  private static final System.Logger LOG = System.getLogger(BridgeGuard.class.getName());

  private final Tokens tokens;
  private final int bufferBytes;
  // keyed by the socket itself: writeHandlerID() is null unless write handlers are registered, so it would make every
  // socket share one entry (one socket's token admitting all, one close revoking all). Confined to the bridge's context
  private final Map<SockJSSocket, Scope> authenticated = new IdentityHashMap<>();
  // sockets already being closed for not reading: logged once each
  private final Set<SockJSSocket> closing = Collections.newSetFromMap(new IdentityHashMap<>());

  private BridgeGuard(Tokens tokens, int bufferBytes) {
    this.tokens = tokens;
    this.bufferBytes = bufferBytes;
  }

  public static Router router(Vertx vertx, Tokens tokens, int bufferBytes) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddressRegex(EventBusBridge.INBOUND))
        .addOutboundPermitted(new PermittedOptions().setAddress(EventBusBridge.OUTBOUND_ALL))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(EventBusBridge.OUTBOUND_VM))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(EventBusBridge.OUTBOUND_CONSOLE));
    BridgeGuard guard = new BridgeGuard(tokens, bufferBytes);
    return SockJSHandler.create(vertx).bridge(options, guard::handle);
  }

  private void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    BridgeEventType type = event.type();
    switch (type) {
      case SOCKET_CREATED -> {
        socket.setWriteQueueMaxSize(bufferBytes);
        tokens.scopeOf(socket.headers().get(HttpHeaders.AUTHORIZATION))
            .ifPresent(scope -> authenticated.put(socket, scope));
        event.complete(true);
      }
      case SOCKET_CLOSED -> {
        authenticated.remove(socket);
        closing.remove(socket);
        event.complete(true);
      }
      case SEND, PUBLISH, REGISTER, UNREGISTER -> event.complete(admit(event));
      case RECEIVE -> event.complete(deliverable(socket));
      default -> event.complete(true);
    }
  }

  // a client that does not read would make us buffer without bound: close it, it can reconnect (as for SSE)
  private boolean deliverable(SockJSSocket socket) {
    boolean full;
    try {
      full = socket.writeQueueFull();
    } catch (IllegalStateException closed) {
      return false; // the socket closed meanwhile (the daemon stops, the client left): nothing to deliver to
    }
    if (!full) {
      return true;
    }
    // close() is asked again for every refused event (a single close queued behind a full queue was seen not to
    // reach the client: BridgeBufferIT), but the warning is logged once per socket
    if (closing.add(socket)) {
      LOG.log(System.Logger.Level.WARNING, "bridge: closing {0}: more than {1} bytes queued (the client does not"
          + " read)", socket.remoteAddress(), bufferBytes);
    }
    socket.close();
    return false;
  }

  private boolean admit(BridgeEvent event) {
    SockJSSocket id = event.socket();
    JsonObject raw = event.getRawMessage();
    JsonObject headers = raw == null ? null : raw.getJsonObject("headers");
    String presented = headers == null ? null : presented(headers);
    if (presented != null) {
      event.setRawMessage(raw);
      tokens.scopeOf(presented).ifPresent(scope -> authenticated.put(id, scope));
    }
    boolean ok = authenticated.containsKey(id);
    if (ok && raw != null && (event.type() == BridgeEventType.SEND || event.type() == BridgeEventType.PUBLISH)) {
      // the socket's scope travels with the message, replacing whatever the client wrote there; the bus enforces it
      // bus headers are case-insensitive: a "VMSUP-SCOPE" the client wrote would ride beside ours, so drop any spelling
      JsonObject stamped = headers == null ? new JsonObject() : headers;
      stamped.fieldNames().removeIf(k -> k.equalsIgnoreCase(Scope.HEADER) || k.equalsIgnoreCase(Scope.TRANSPORT_HEADER));
      stamped.put(Scope.HEADER, authenticated.get(id).json()).put(Scope.TRANSPORT_HEADER, "sockjs");
      raw.put("headers", stamped);
      event.setRawMessage(raw);
    }
    if (!ok) {
      LOG.log(System.Logger.Level.WARNING, "bridge: refused {0} to {1} from {2}: no valid token",
          event.type(), raw == null ? "?" : raw.getString("address"), event.socket().remoteAddress());
    }
    return ok;
  }

  /** The token a frame presents in its headers (any spelling of Authorization), removed from them. */
  private static String presented(JsonObject headers) {
    String found = null;
    for (String key : List.copyOf(headers.fieldNames())) {
      if (key.equalsIgnoreCase("Authorization")) {
        Object v = headers.remove(key);
        found = v instanceof String s ? s : found;
      }
    }
    return found;
  }
}

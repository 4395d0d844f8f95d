package io.vmsup.supervisor.bridge.impl;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vmsup.supervisor.bridge.BusTokens;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.http.Tokens;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The TCP bridge's token check, frame by frame (the library tells of no socket's opening or closing, so nothing is
 * remembered per socket): a frame's {@code authorization} header (any spelling) is taken out and the scope it grants
 * stamped in its place, with transport {@code tcp}, after every spelling of the scope and transport headers the
 * client wrote is dropped. A request without a valid token goes on with its token as {@code authorization} (an
 * absent one as {@code Bearer -}) and scope {@code none}, so that {@code BusTokens} answers it UNAUTHORIZED (401) to
 * its reply address; any other frame without a valid token is refused here.
 */
final class TcpBridgeGuard {

  private static final System.Logger LOG = System.getLogger(TcpBridgeGuard.class.getName());
  static final String TRANSPORT = "tcp";

  private final Tokens tokens;

  TcpBridgeGuard(Tokens tokens) {
    this.tokens = tokens;
  }

  void handle(BridgeEvent event) {
    BridgeEventType type = event.type();
    if (type != BridgeEventType.SEND && type != BridgeEventType.PUBLISH && type != BridgeEventType.REGISTER
        && type != BridgeEventType.UNREGISTER) {
      event.complete(true);
      return;
    }
    // the raw message is the frame the library goes on with: edited in place
    JsonObject raw = event.getRawMessage();
    JsonObject headers = raw.getValue("headers") instanceof JsonObject h ? h : new JsonObject();
    List<String> presented = take(headers);
    Optional<Scope> scope = presented.size() == 1 ? tokens.scopeOf(presented.get(0)) : Optional.empty();
    headers.fieldNames().removeIf(k -> k.equalsIgnoreCase(Scope.HEADER) || k.equalsIgnoreCase(Scope.TRANSPORT_HEADER));
    if (scope.isPresent()) {
      headers.put(Scope.HEADER, scope.get().json()).put(Scope.TRANSPORT_HEADER, TRANSPORT);
      raw.put("headers", headers);
      event.complete(true);
      return;
    }
    boolean request = type == BridgeEventType.SEND && raw.getValue("replyAddress") instanceof String;
    // the socket is the front's connection to the library bridge, not the client's: its address says nothing
    LOG.log(System.Logger.Level.WARNING, "TCP bridge: {0} to {1} without a valid token{2}", type,
        raw.getValue("address"), request ? ": answered 401" : ": refused");
    if (request) {
      // BusTokens refuses it on arrival, to the reply address the client waits on
      headers.put(BusTokens.HEADER, presented.size() == 1 ? presented.get(0) : "Bearer -")
          .put(Scope.HEADER, "none").put(Scope.TRANSPORT_HEADER, TRANSPORT);
      raw.put("headers", headers);
    }
    event.complete(request);
  }

  /** Every value of the authorization header in any spelling, removed from {@code headers}. */
  private static List<String> take(JsonObject headers) {
    List<String> found = new java.util.ArrayList<>();
    for (String key : List.copyOf(headers.fieldNames())) {
      if (key.toLowerCase(Locale.ROOT).equals(BusTokens.HEADER)) {
        found.add(String.valueOf(headers.remove(key)));
      }
    }
    return found;
  }
}

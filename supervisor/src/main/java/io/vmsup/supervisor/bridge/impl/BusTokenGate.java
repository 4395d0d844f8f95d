package io.vmsup.supervisor.bridge.impl;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.audit.BusGate;
import io.vmsup.supervisor.bridge.BusTokens;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.http.Tokens;
import java.util.List;
import java.util.Optional;

/** Runs on whichever context receives a message; holds no state but the tokens, which are safe from any thread. */
public final class BusTokenGate implements BusTokens {

  private static final System.Logger LOG = System.getLogger(BusTokenGate.class.getName());
  private static final String PREFIX = "vmsup.";

  private final Vertx vertx;
  private final Tokens tokens;
  private final AuditLog audit;
  private final Handler<DeliveryContext<Object>> interceptor = this::intercept;

  private BusTokenGate(Vertx vertx, Tokens tokens, AuditLog audit) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.audit = audit;
  }

  public static BusTokens install(Vertx vertx, Tokens tokens, AuditLog audit) {
    BusTokenGate gate = new BusTokenGate(vertx, tokens, audit);
    vertx.eventBus().addInboundInterceptor(gate.interceptor);
    return gate;
  }

  @Override
  public void uninstall() {
    vertx.eventBus().removeInboundInterceptor(interceptor);
  }

  private void intercept(DeliveryContext<Object> dc) {
    Message<Object> m = dc.message();
    MultiMap h = m.headers();
    if (m.address() == null || !m.address().startsWith(PREFIX) || !h.contains(BusTokens.HEADER)) {
      dc.next();
      return;
    }
    // bus headers are case-insensitive: every spelling is one header; two values are never trusted
    List<String> presented = h.getAll(BusTokens.HEADER);
    h.remove(BusTokens.HEADER);
    h.remove(Scope.HEADER);
    h.remove(Scope.TRANSPORT_HEADER);
    Optional<Scope> scope = presented.size() == 1 ? tokens.scopeOf(presented.get(0)) : Optional.empty();
    if (scope.isEmpty()) {
      refuse(m, presented.size());
      return;
    }
    h.add(Scope.HEADER, scope.get().json());
    h.add(Scope.TRANSPORT_HEADER, "eventbus");
    dc.next();
  }

  private void refuse(Message<Object> m, int values) {
    String why = values == 1 ? "the token in the authorization header matches no token of this daemon"
        : "a request may carry one authorization header, not " + values;
    LOG.log(System.Logger.Level.WARNING, "event bus: refused a message to {0}: {1}", m.address(), why);
    if (BusGate.mutating(m.address())) {
      String vm = m.body() instanceof JsonObject j && j.getValue("name") instanceof String s ? s : null;
      audit.record(AuditLog.entry("eventbus", "none", m.address().substring("vmsup.vm.".length()), vm,
          "unauthorized", ErrorCode.UNAUTHORIZED.code(), why));
    }
    if (m.replyAddress() != null) {
      new VmException(ErrorCode.UNAUTHORIZED, why + " (send 'Bearer <token>'; the token is in <state-dir>/token)")
          .failReply(m);
    }
  }
}

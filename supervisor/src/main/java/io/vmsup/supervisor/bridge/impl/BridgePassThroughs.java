package io.vmsup.supervisor.bridge.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.PassThroughTargets;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.api.VmException;

/**
 * The bridges' way to a VM's QMP pass-through, the HTTP edge's way: a bridge request to {@link Addresses#QMP} or to a
 * VM's own address ({@link Addresses#passThrough}) goes to the VM's own address first (single host), and, only when no
 * handler read it there (no such VM on this host, one deleted meanwhile, a fleet, where no member registers it), to
 * {@link Addresses#QMP}, whose answer (the registry's 404, the fleet router's forward) is the authoritative one; the
 * answer goes back to the bridge's request. So a bridge client never gets the bus's "no handler" for a VM that is not
 * (or no longer) there. An outbound interceptor, installed before the bus gate: the bridge's own request is not sent
 * (nor audited), the routed one is, with the bridge's headers (its scope, transport and token). Only requests a bridge
 * stamped ({@link Scope#TRANSPORT_HEADER} {@code sockjs} or {@code tcp}) are routed; in-process callers choose their
 * address themselves.
 */
public final class BridgePassThroughs implements Handler<DeliveryContext<Object>> {

  /** The safety net of a routed request: the actor answers within its command timeout, the bridge's timer first. */
  private static final long ROUTED_TIMEOUT_MS = 3_600_000;
  private static final String DISCARDED = "Discarded the request";
  private static final String PREFIX = Addresses.passThrough("");

  private final Vertx vertx;
  /** Set while this thread sends a routed request: its own pass through this interceptor goes on as it is. */
  private final ThreadLocal<Boolean> routing = new ThreadLocal<>();

  private BridgePassThroughs(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Installs the routing on {@code vertx}'s bus; before the bus gate (interceptors run in the order added). */
  public static void install(Vertx vertx) {
    vertx.eventBus().addOutboundInterceptor(new BridgePassThroughs(vertx));
  }

  @Override
  public void handle(DeliveryContext<Object> dc) {
    Message<Object> m = dc.message();
    String address = m.address();
    if (!dc.send() || m.replyAddress() == null || !address.startsWith(Addresses.QMP) || routing.get() != null
        || !bridged(m.headers().get(Scope.TRANSPORT_HEADER))) {
      dc.next();
      return;
    }
    String own = PassThroughTargets.vmOf(address);
    if (own == null && !Addresses.QMP.equals(address)) {
      dc.next(); // vmsup.vm.qmpX: not a pass-through address, the bus answers as for any other
      return;
    }
    String named = m.body() instanceof JsonObject b && b.getValue("name") instanceof String s ? s : null;
    route(m, own, named).onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(ar.result().body(), new DeliveryOptions().setHeaders(ar.result().headers()));
      } else if (ar.cause() instanceof ReplyException r) {
        m.reply(r); // as it came: a failure reply keeps its code and type
      } else {
        VmException.wrap(ar.cause()).failReply(m);
      }
    });
  }

  private static boolean bridged(String transport) {
    return TcpBridgeGuard.TRANSPORT.equals(transport) || "sockjs".equals(transport);
  }

  /**
   * {@code own}: the VM whose own address the request was sent to (null: sent to {@link Addresses#QMP}); {@code
   * named}: the VM its body names. A request to a VM's own address whose body names no VM or another one is never
   * asked of {@link Addresses#QMP} (it would run on the VM the body names): INVALID, as that VM's actor answers it.
   */
  private Future<Message<Object>> route(Message<Object> m, String own, String named) {
    String vm = own != null ? own : named;
    boolean direct = vm != null && !vertx.isClustered() && !vm.isEmpty();
    if (!direct) {
      return own == null ? send(Addresses.QMP, m) : fallBack(m, own, named);
    }
    return send(Addresses.passThrough(vm), m)
        .recover(t -> unread(t) ? (own == null ? send(Addresses.QMP, m) : fallBack(m, own, named))
            : Future.failedFuture(t));
  }

  private Future<Message<Object>> fallBack(Message<Object> m, String own, String named) {
    if (!own.equals(named)) {
      return Future.failedFuture(new VmException(ErrorCode.INVALID, "a pass-through to '" + own + "' must be an"
          + " object naming it (\"name\": \"" + own + "\")"));
    }
    return send(Addresses.QMP, m);
  }

  private Future<Message<Object>> send(String address, Message<Object> m) {
    DeliveryOptions o = new DeliveryOptions().setHeaders(m.headers()).setSendTimeout(ROUTED_TIMEOUT_MS);
    routing.set(Boolean.TRUE);
    try {
      return vertx.eventBus().request(address, m.body(), o);
    } finally {
      routing.remove();
    }
  }

  /** No handler read the request: none at the address, or its consumer was unregistered with it queued. */
  private static boolean unread(Throwable t) {
    return t instanceof ReplyException r && (r.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS
        || r.failureType() == io.vertx.core.eventbus.ReplyFailure.TIMEOUT && r.getMessage() != null
        && r.getMessage().startsWith(DISCARDED));
  }
}

package io.vmsup.supervisor.audit.impl;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.audit.BusGate;
import io.vmsup.supervisor.api.Scope;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The interceptor runs on the context of whichever consumer receives a message (any event loop), hence the
 * concurrent map of requests waiting for their reply, keyed by reply address. A request whose reply never comes
 * (the caller's timeout fired first) is written as {@code no-reply} by a sweep once a minute.
 */
public final class BusGateImpl implements BusGate {

  private static final String PREFIX = "vmsup.vm.";
  private static final String IMAGE_PREFIX = "vmsup.image.";
  private static final String NETWORK_PREFIX = "vmsup.network.";
  private static final Set<String> READS = Set.of(Addresses.GET, Addresses.LIST, Addresses.RENDER,
      Addresses.CONSOLE_READ, Addresses.IMAGE_LIST, Addresses.IMAGE_GET, Addresses.NETWORK_GET,
      Addresses.NETWORK_LIST, Addresses.SNAPSHOT_LIST);
  private static final long STALE_NANOS = 10L * 60 * 1_000_000_000L;

  private record Pending(JsonObject entry, long since) {
  }

  private final Vertx vertx;
  private final AuditLog audit;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Handler<DeliveryContext<Object>> interceptor = this::intercept;
  // a call's id: this daemon's start (base 36 ms) and a counter, unique across restarts
  private final String run = Long.toString(System.currentTimeMillis(), 36) + "-";
  private final AtomicLong calls = new AtomicLong();
  private long sweep;

  private BusGateImpl(Vertx vertx, AuditLog audit) {
    this.vertx = vertx;
    this.audit = audit;
  }

  public static BusGate install(Vertx vertx, AuditLog audit) {
    BusGateImpl gate = new BusGateImpl(vertx, audit);
    vertx.eventBus().addInboundInterceptor(gate.interceptor);
    gate.sweep = vertx.setPeriodic(60_000, id -> gate.sweep());
    return gate;
  }

  public static boolean mutating(String address) {
    return address != null && ((address.startsWith(PREFIX) || address.startsWith(IMAGE_PREFIX)
        || address.startsWith(NETWORK_PREFIX)) && !READS.contains(address)
        || address.equals(Addresses.HOST_CORDON) || address.equals(Addresses.HOST_UNCORDON));
  }

  @Override
  public void uninstall() {
    vertx.eventBus().removeInboundInterceptor(interceptor);
    vertx.cancelTimer(sweep);
  }

  private void intercept(DeliveryContext<Object> dc) {
    Message<Object> m = dc.message();
    Pending waiting = pending.remove(m.address());
    if (waiting != null) {
      audit.record(outcome(waiting.entry(), dc.body()));
    } else if (mutating(Addresses.plain(m.address()))) {
      JsonObject begun = admit(m);
      if (begun != null) {
        deliverOnceWritten(dc, begun);
      }
      return;
    }
    dc.next();
  }

  /**
   * Delivers the request once its {@code pending} record is in the file, so a daemon killed while the request runs
   * leaves it in the log; back on the receiver's context, as the delivery would have run. A record that cannot be
   * written (a full disk) does not hold the request back: it went to the daemon's log, and refusing every mutation
   * (a kill among them) because the audit disk is full would be worse.
   */
  private void deliverOnceWritten(DeliveryContext<Object> dc, JsonObject begun) {
    if (begun.isEmpty()) {
      dc.next();
      return;
    }
    Context receiver = Vertx.currentContext();
    audit.written(begun).onComplete(ar -> {
      if (receiver == null) {
        dc.next();
      } else {
        receiver.runOnContext(v -> dc.next());
      }
    });
  }

  /**
   * Refuses a read-scoped mutation (null: not delivered); otherwise remembers a request until its reply passes by
   * and answers its {@code pending} record to write before delivery (empty: a publish, nothing to wait for).
   */
  private JsonObject admit(Message<Object> m) {
    MultiMap h = m.headers();
    // one value or none: two (a transport's stamp beside a client's forgery) are never admin
    String scope = !h.contains(Scope.HEADER) ? "internal"
        : h.getAll(Scope.HEADER).size() == 1 ? h.get(Scope.HEADER) : String.join("+", h.getAll(Scope.HEADER));
    String transport = h.contains(Scope.TRANSPORT_HEADER) ? h.get(Scope.TRANSPORT_HEADER) : "in-process";
    String plain = Addresses.plain(m.address());
    boolean vm = plain.startsWith(PREFIX);
    // a network (or image, cordon) command is audited as network.create etc., without a VM
    JsonObject entry = AuditLog.entry(transport, scope, verb(plain), vm ? vmOf(m.body()) : null, null, null, null);
    if (!Scope.ADMIN.json().equals(scope) && !"internal".equals(scope)) {
      String message = "the " + scope + " token may not use " + m.address() + "; use the admin token";
      audit.record(entry.put("outcome", "forbidden").put("code", ErrorCode.FORBIDDEN.code()).put("message", message));
      if (m.replyAddress() != null) {
        new VmException(ErrorCode.FORBIDDEN, message).failReply(m);
      }
      return null;
    }
    if (m.replyAddress() == null) {
      audit.record(entry.put("outcome", "sent"));
      return new JsonObject();
    }
    entry.put("outcome", "pending").put("call", run + calls.incrementAndGet());
    // AuditLog.written encodes the pending line at once, before the reply (after delivery) gives the entry its outcome
    pending.put(m.replyAddress(), new Pending(entry, System.nanoTime()));
    return entry;
  }

  private static JsonObject outcome(JsonObject entry, Object reply) {
    if (reply instanceof ReplyException r) {
      VmException e = VmException.fromReply(r);
      return entry.put("outcome", "failed").put("code", e.code().code()).put("message", e.getMessage());
    }
    return entry.put("outcome", "ok");
  }

  /** {@code start} for {@code vmsup.vm.start}; {@code host.cordon} for {@code vmsup.host.cordon}. */
  private static String verb(String address) {
    return address.startsWith(PREFIX) ? address.substring(PREFIX.length()) : address.substring("vmsup".length() + 1);
  }

  private static String vmOf(Object body) {
    return body instanceof JsonObject j && j.getValue("name") instanceof String s ? s : null;
  }

  private void sweep() {
    long now = System.nanoTime();
    pending.forEach((address, p) -> {
      if (now - p.since() > STALE_NANOS && pending.remove(address, p)) {
        audit.record(p.entry().put("outcome", "no-reply"));
      }
    });
  }
}

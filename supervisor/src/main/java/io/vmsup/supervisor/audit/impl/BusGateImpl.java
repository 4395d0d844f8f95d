package io.vmsup.supervisor.audit.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.PassThroughTargets;
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
  private static final Runnable HELD = () -> { };

  /** The token a bridge frame carries ({@code BusTokens.HEADER}): its scope is known only once checked at delivery. */
  private static final String TOKEN_HEADER = "authorization";

  /**
   * A request waiting for its reply. {@code written}: its pending record's write when it began as the request was
   * sent (null: begun at delivery); {@code delivered}: whether it reached its handler (an early record whose request
   * never did is closed as {@code undelivered} by the sweep).
   */
  private static final class Pending {
    final JsonObject entry;
    final long since;
    final Future<Void> written;
    volatile boolean delivered;

    Pending(JsonObject entry, long since, Future<Void> written) {
      this.entry = entry;
      this.since = since;
      this.written = written;
    }
  }

  private final Vertx vertx;
  private final AuditLog audit;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Handler<DeliveryContext<Object>> interceptor = this::intercept;
  private final Handler<DeliveryContext<Object>> early = this::early;
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
    if (!vertx.isClustered()) {
      // in a fleet the receiving member's gate audits the call (the sender's would write it a second time)
      vertx.eventBus().addOutboundInterceptor(gate.early);
    }
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
    vertx.eventBus().removeOutboundInterceptor(early);
    vertx.cancelTimer(sweep);
  }

  private void intercept(DeliveryContext<Object> dc) {
    Message<Object> m = dc.message();
    Pending waiting = pending.remove(m.address());
    if (waiting != null) {
      // in the queue before the caller has the reply, the audit thread woken only once it has it
      // a reply to a request that never reached its handler: Vert.x's own, for one its consumer discarded unread
      Runnable wake = audit.queued(waiting.delivered ? outcome(waiting.entry, dc.body())
          : waiting.entry.put("outcome", "undelivered"));
      try {
        dc.next();
      } finally {
        wake.run();
      }
      return;
    } else if (mutating(Addresses.plain(m.address()))) {
      Pending begun = m.replyAddress() == null ? null : pending.get(m.replyAddress());
      if (begun != null && begun.written != null && !begun.delivered) {
        begun.delivered = true;
        deliverOnceWritten(dc, begun.written);
        return;
      }
      JsonObject entry = admit(m);
      if (entry != null) {
        deliverOnceWritten(dc, entry.isEmpty() ? null : audit.written(entry));
      }
      return;
    }
    dc.next();
  }

  /**
   * On the sender's thread, for a pass-through (the hot path) to an address that has a handler: begins writing its
   * {@code pending} record at once, so the write runs while the request travels to its receiver, which then usually
   * finds it done and delivers without waiting for the audit thread. Only when the scope is known here (no bridge
   * token to check at delivery) and allows the call; anything else is left to {@link #intercept} as before. A VM's own
   * address keeps its handler until the request is handed to the bus ({@link PassThroughTargets#enter}: the bus finds
   * the handler within {@code dc.next()}), so a begun record's request is always delivered or, if the actor goes
   * before it is read, discarded with a reply that closes the record as {@code undelivered}.
   */
  private void early(DeliveryContext<Object> dc) {
    Message<Object> m = dc.message();
    if (m.replyAddress() == null || !dc.send() || m.headers().contains(TOKEN_HEADER)) {
      dc.next();
      return;
    }
    Runnable exit = enter(m.address());
    if (exit == null) {
      dc.next();
      return;
    }
    try {
      String scope = scope(m.headers());
      if (allowed(scope)) {
        JsonObject entry = pendingEntry(m, scope);
        pending.put(m.replyAddress(), new Pending(entry, System.nanoTime(), audit.written(entry)));
      }
      dc.next();
    } finally {
      exit.run();
    }
  }

  /**
   * The pass-through's addresses that have a handler now, held until the action returned is run (null: none): the
   * public one (the registry's, for the daemon's life), and a VM's own while its actor holds it.
   */
  private Runnable enter(String address) {
    if (Addresses.QMP.equals(address)) {
      return HELD;
    }
    String vm = PassThroughTargets.vmOf(address);
    return vm == null ? null : PassThroughTargets.enter(vertx, vm);
  }

  /**
   * Delivers the request once its {@code pending} record is in the file, so a daemon killed while the request runs
   * leaves it in the log; back on the receiver's context, as the delivery would have run. A record that cannot be
   * written (a full disk) does not hold the request back: it went to the daemon's log, and refusing every mutation
   * (a kill among them) because the audit disk is full would be worse.
   */
  private void deliverOnceWritten(DeliveryContext<Object> dc, Future<Void> written) {
    if (written == null || written.isComplete()) {
      dc.next();
      return;
    }
    Context receiver = Vertx.currentContext();
    written.onComplete(ar -> {
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
    String scope = scope(m.headers());
    if (!allowed(scope)) {
      JsonObject entry = entry(m, scope);
      String message = "the " + scope + " token may not use " + m.address() + "; use the admin token";
      audit.record(entry.put("outcome", "forbidden").put("code", ErrorCode.FORBIDDEN.code()).put("message", message));
      if (m.replyAddress() != null) {
        new VmException(ErrorCode.FORBIDDEN, message).failReply(m);
      }
      return null;
    }
    if (m.replyAddress() == null) {
      audit.record(entry(m, scope).put("outcome", "sent"));
      return new JsonObject();
    }
    JsonObject entry = pendingEntry(m, scope);
    // AuditLog.written encodes the pending line at once, before the reply (after delivery) gives the entry its outcome
    Pending p = new Pending(entry, System.nanoTime(), null);
    p.delivered = true;
    pending.put(m.replyAddress(), p);
    return entry;
  }

  /** The scope a request carries: one value or none; two (a transport's stamp beside a forgery) are never admin. */
  private static String scope(MultiMap h) {
    return !h.contains(Scope.HEADER) ? "internal"
        : h.getAll(Scope.HEADER).size() == 1 ? h.get(Scope.HEADER) : String.join("+", h.getAll(Scope.HEADER));
  }

  private static boolean allowed(String scope) {
    return Scope.ADMIN.json().equals(scope) || "internal".equals(scope);
  }

  /** A request's record before its outcome: a network (or image, cordon) command is audited without a VM. */
  private static JsonObject entry(Message<Object> m, String scope) {
    MultiMap h = m.headers();
    String transport = h.contains(Scope.TRANSPORT_HEADER) ? h.get(Scope.TRANSPORT_HEADER) : "in-process";
    String plain = Addresses.plain(m.address());
    JsonObject entry = AuditLog.entry(transport, scope, verb(plain), plain.startsWith(PREFIX) ? vmOf(m.body()) : null,
        null, null, null);
    if (Addresses.CREATE.equals(plain) && "true".equals(h.get(io.vmsup.supervisor.api.CreateAndStart.HEADER))) {
      // a create that starts the VM too: whoever looks for the call that started it finds this one
      entry.put("start", true);
    }
    return entry;
  }

  private JsonObject pendingEntry(Message<Object> m, String scope) {
    return entry(m, scope).put("outcome", "pending").put("call", run + calls.incrementAndGet());
  }

  /**
   * {@code failed} for a failure, but {@code unknown} for one that says the command was sent and no answer came
   * ({@code "effect": "unknown"}: QEMU did not answer in time, or its connection closed meanwhile): it may have run.
   */
  private static JsonObject outcome(JsonObject entry, Object reply) {
    if (reply instanceof ReplyException r) {
      VmException e = VmException.fromReply(r);
      String outcome = "unknown".equals(e.details().getValue("effect")) ? "unknown" : "failed";
      return entry.put("outcome", outcome).put("code", e.code().code()).put("message", e.getMessage());
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
    sweep(System.nanoTime());
  }

  /**
   * Closes the calls waiting longer than {@link #STALE_NANOS} at {@code now}: {@code no-reply} for a delivered one,
   * {@code undelivered} for one whose pending record was begun as it was sent and which never reached a handler
   * (its address lost its handler on the way: the command did not run).
   */
  void sweep(long now) {
    pending.forEach((address, p) -> {
      if (now - p.since > STALE_NANOS && pending.remove(address, p)) {
        audit.record(p.entry.put("outcome", p.delivered ? "no-reply" : "undelivered"));
      }
    });
  }
}

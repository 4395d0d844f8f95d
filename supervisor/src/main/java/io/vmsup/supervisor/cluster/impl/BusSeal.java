package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.bridge.BusTokens;
import io.vmsup.supervisor.api.Scope;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The host credential on the clustered bus. Every certificate of the cluster CA may join the event bus — daemons and
 * other services alike — so the bus's mutual TLS alone cannot tell a daemon's message from a service's. Daemons
 * also hold the fleet key ({@code fleet.key}, given only to members by {@code vmsup cluster init}) and seal every
 * message they send to a {@code vmsup.*} address or as a reply: header {@value #HEADER} = {@code <millis>:<HMAC-SHA256
 * over address, reply address, scope, transport, time and body>}. A message that arrives from another JVM to a
 * {@code vmsup.*} address or a reply address is delivered only when it carries a valid seal made within
 * {@link #WINDOW_MS} (its scope header is then the forwarding daemon's word) or a token ({@code authorization}: the
 * token gate checks it against this daemon's tokens and stamps the scope itself); otherwise it is refused
 * UNAUTHORIZED — a forged {@code vmsup-scope: admin} from a rogue member, a reply from a consumer a rogue registered
 * on a daemon's address. Messages within this JVM are not touched.
 *
 * <p>Installed before the token gate (interceptors run in the order they were added), and after every outbound
 * interceptor that changes a {@code vmsup.*} message ({@link EventStamp}): a change after sealing breaks the seal.
 * Any thread; no state but the key and a log throttle.
 */
public final class BusSeal {

  /** The seal header. */
  public static final String HEADER = "vmsup-fleet-seal";
  /** How far a seal's time may lie from this member's clock (clock skew plus the bus's latency). */
  static final long WINDOW_MS = 60_000;

  private static final Logger LOG = Logger.getLogger(BusSeal.class.getName());
  private static final String VMSUP = "vmsup.";
  private static final String REPLY = "__vertx.reply.";
  private static final long LOG_EVERY_MS = 10_000;

  private final SecretKeySpec key;
  private final AtomicLong lastLog = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  BusSeal(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** Installs the seal (outbound) and the check (inbound) on a clustered Vert.x. */
  public static void install(Vertx vertx, byte[] key) {
    BusSeal seal = new BusSeal(key);
    Handler<DeliveryContext<Object>> out = seal::seal;
    Handler<DeliveryContext<Object>> in = seal::check;
    vertx.eventBus().addOutboundInterceptor(out);
    vertx.eventBus().addInboundInterceptor(in);
  }

  private static boolean guarded(String address) {
    return address != null && (address.startsWith(VMSUP) || address.startsWith(REPLY));
  }

  private void seal(DeliveryContext<Object> dc) {
    Message<Object> m = dc.message();
    if (guarded(m.address())) {
      MultiMap h = m.headers();
      String at = Long.toString(System.currentTimeMillis());
      h.set(HEADER, at + ":" + mac(m.address(), m.replyAddress(), h, at, dc.body()));
    }
    dc.next();
  }

  private void check(DeliveryContext<Object> dc) {
    Message<Object> m = dc.message();
    if (!(m instanceof ClusteredMessage<?, ?> c) || !c.isFromWire() || !guarded(m.address())) {
      dc.next();
      return;
    }
    MultiMap h = m.headers();
    List<String> seals = h.getAll(HEADER);
    h.remove(HEADER);
    String why = seals.size() == 1 ? verify(m, seals.get(0)) : seals.isEmpty() ? "no seal" : "several seals";
    if (why == null) {
      dc.next();
      return;
    }
    if (h.contains(BusTokens.HEADER) && m.address().startsWith(VMSUP)) {
      // a service's request with its token: the token gate checks it and stamps the scope; nothing else counts
      h.remove(Scope.HEADER);
      h.remove(Scope.TRANSPORT_HEADER);
      dc.next();
      return;
    }
    refuse(m, why);
  }

  /** Null when {@code seal} is this fleet's seal of {@code m}, made within the window; else why not. */
  String verify(Message<Object> m, String seal) {
    int colon = seal.indexOf(':');
    long at;
    try {
      at = Long.parseLong(seal.substring(0, Math.max(colon, 0)));
    } catch (NumberFormatException e) {
      return "a malformed seal";
    }
    if (Math.abs(System.currentTimeMillis() - at) > WINDOW_MS) {
      return "a seal outside the " + WINDOW_MS / 1000 + " s window (replayed, or the clocks differ)";
    }
    byte[] expected = mac(m.address(), m.replyAddress(), m.headers(), seal.substring(0, colon), m.body())
        .getBytes(StandardCharsets.US_ASCII);
    byte[] given = seal.substring(colon + 1).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? null : "a seal that does not match (not made with this fleet's"
        + " key, or the message was altered)";
  }

  private void refuse(Message<Object> m, String why) {
    long n = refused.incrementAndGet();
    long now = System.currentTimeMillis();
    long last = lastLog.get();
    if (now - last >= LOG_EVERY_MS && lastLog.compareAndSet(last, now)) {
      LOG.warning("event bus: refused a message from another JVM to " + m.address() + " with " + why
          + " and no token (" + n + " refused so far): only daemons hold the fleet key");
    }
    if (m.replyAddress() != null) {
      new VmException(ErrorCode.UNAUTHORIZED, "a message from another cluster member needs a token (authorization:"
          + " Bearer <token>) or a daemon's seal; it had " + why).failReply(m);
    }
  }

  String mac(String address, String replyAddress, MultiMap h, String at, Object body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      for (String part : new String[] {address, String.valueOf(replyAddress), String.valueOf(h.get(Scope.HEADER)),
          String.valueOf(h.get(Scope.TRANSPORT_HEADER)), at}) {
        mac.update(part.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
      }
      mac.update(bytes(body));
      return Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private static byte[] bytes(Object body) {
    if (body == null) {
      return new byte[0];
    }
    if (body instanceof JsonObject j) {
      return j.encode().getBytes(StandardCharsets.UTF_8);
    }
    if (body instanceof JsonArray a) {
      return a.encode().getBytes(StandardCharsets.UTF_8);
    }
    if (body instanceof Buffer b) {
      return b.getBytes();
    }
    if (body instanceof byte[] b) {
      return b;
    }
    return String.valueOf(body).getBytes(StandardCharsets.UTF_8);
  }
}

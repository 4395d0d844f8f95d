package io.vmsup.supervisor.http.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.http.Tokens;
import io.vmsup.supervisor.http.EdgeGuard;
import io.vmsup.supervisor.http.EdgeLimits;
import io.vmsup.supervisor.http.Problem;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Confined to the HTTP server's context: connection handler, router handlers and timers all run there, so plain
 * maps and counters suffice. Each connection has one timer at most, armed for its deadline (header, then idle): a
 * request only moves the deadline, and a timer that fires early re-arms for the rest, so a busy keep-alive connection
 * costs no timer per request.
 */
public final class EdgeGuardImpl implements EdgeGuard {

  private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);
  // past this many remembered client addresses, an unknown address gets no budget (its requests are 429)
  private static final int MAX_ADDRESSES = 16_384;

  private final Vertx vertx;
  private final EdgeLimits limits;
  private final Tokens tokens;
  private final EdgeMeters meters;
  private final Map<HttpConnection, Conn> conns = new IdentityHashMap<>();
  private final Map<String, Integer> unauthenticatedByAddress = new HashMap<>();
  private final Map<String, TokenBucket> unauthenticatedBudgets = new HashMap<>();
  private final TokenBucket authenticatedBudget;
  private int unauthenticated;
  private int authenticated;

  /** One open connection's state. */
  private static final class Conn {
    final String address;
    boolean authenticated;
    int inFlight;
    long timer = -1;
    /** When an idle connection is closed (System.nanoTime), and why. */
    long deadline;
    String reason;

    Conn(String address) {
      this.address = address;
    }
  }

  public EdgeGuardImpl(Vertx vertx, EdgeLimits limits, Tokens tokens, MeterRegistry registry) {
    this.vertx = vertx;
    this.limits = limits;
    this.tokens = tokens;
    this.meters = new EdgeMeters(registry, this);
    this.authenticatedBudget = new TokenBucket(limits.mutatingPerSecond(), limits.mutatingBurst(), System.nanoTime());
  }

  @Override
  public Handler<HttpConnection> connectionHandler() {
    return this::connected;
  }

  @Override
  public Handler<RoutingContext> requestHandler() {
    return this::request;
  }

  @Override
  public EdgeLimits limits() {
    return limits;
  }

  @Override
  public int authenticatedConnections() {
    return authenticated;
  }

  @Override
  public int unauthenticatedConnections() {
    return unauthenticated;
  }

  private void connected(HttpConnection connection) {
    String address = address(connection.remoteAddress());
    if (unauthenticated >= limits.maxUnauthenticated()) {
      refuse(connection, UNAUTHENTICATED_CAP);
      return;
    }
    if (unauthenticatedByAddress.getOrDefault(address, 0) >= limits.maxUnauthenticatedPerAddress()) {
      refuse(connection, ADDRESS_CAP);
      return;
    }
    Conn conn = new Conn(address);
    conns.put(connection, conn);
    unauthenticated++;
    unauthenticatedByAddress.merge(address, 1, Integer::sum);
    connection.closeHandler(v -> closed(connection));
    idleFrom(connection, conn, limits.headerTimeout().toNanos(), HEADER_TIMEOUT);
  }

  private void refuse(HttpConnection connection, String reason) {
    meters.refused(reason);
    connection.close();
  }

  private void closed(HttpConnection connection) {
    Conn conn = conns.remove(connection);
    if (conn == null) {
      return;
    }
    cancel(conn);
    if (conn.authenticated) {
      authenticated--;
    } else {
      unauthenticated--;
      unauthenticatedByAddress.computeIfPresent(conn.address, (a, n) -> n > 1 ? n - 1 : null);
    }
  }

  /** The connection is idle from now: closed after {@code nanos} unless a request comes first. */
  private void idleFrom(HttpConnection connection, Conn conn, long nanos, String reason) {
    conn.deadline = System.nanoTime() + nanos;
    conn.reason = reason;
    if (conn.timer < 0) {
      arm(connection, conn, nanos);
    }
  }

  private void arm(HttpConnection connection, Conn conn, long nanos) {
    conn.timer = vertx.setTimer(Math.max(1, (nanos + 999_999) / 1_000_000), id -> {
      conn.timer = -1;
      if (conn.inFlight > 0 || !conns.containsKey(connection)) {
        return; // the request's end moves the deadline and arms again
      }
      long left = conn.deadline - System.nanoTime();
      if (left > 0) {
        arm(connection, conn, left);
      } else {
        meters.refused(conn.reason);
        connection.close();
      }
    });
  }

  private void cancel(Conn conn) {
    if (conn.timer >= 0) {
      vertx.cancelTimer(conn.timer);
      conn.timer = -1;
    }
  }

  private void request(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    Conn conn = conns.get(connection);
    boolean presented = tokens.scopeOf(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).isPresent();
    if (conn != null) {
      conn.inFlight++;
      ctx.addEndHandler(ar -> {
        conn.inFlight--;
        if (conn.inFlight == 0 && conns.containsKey(connection)) {
          idleFrom(connection, conn, limits.idleTimeout().toNanos(), IDLE_TIMEOUT);
        }
      });
      if (presented && !conn.authenticated) {
        promote(conn);
      }
    }
    if (MUTATING.contains(ctx.request().method()) && !budget(presented, conn)) {
      meters.refused(RATE_LIMIT);
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
      Responses.problem(ctx, new Problem(429, "TOO_MANY_REQUESTS", "Too many requests",
          "more than " + limits.mutatingPerSecond() + " mutating requests per second (burst "
              + limits.mutatingBurst() + "); retry later", null));
      return;
    }
    ctx.next();
  }

  private void promote(Conn conn) {
    if (authenticated >= limits.maxAuthenticated()) {
      return;
    }
    conn.authenticated = true;
    authenticated++;
    unauthenticated--;
    unauthenticatedByAddress.computeIfPresent(conn.address, (a, n) -> n > 1 ? n - 1 : null);
  }

  private boolean budget(boolean presented, Conn conn) {
    long now = System.nanoTime();
    if (presented) {
      return authenticatedBudget.take(now);
    }
    String address = conn == null ? "?" : conn.address;
    TokenBucket bucket = unauthenticatedBudgets.get(address);
    if (bucket == null) {
      if (unauthenticatedBudgets.size() >= MAX_ADDRESSES) {
        unauthenticatedBudgets.values().removeIf(b -> b.full(now));
      }
      if (unauthenticatedBudgets.size() >= MAX_ADDRESSES) {
        return false;
      }
      bucket = new TokenBucket(limits.mutatingPerSecond(), limits.mutatingBurst(), now);
      unauthenticatedBudgets.put(address, bucket);
    }
    return bucket.take(now);
  }

  private static String address(SocketAddress remote) {
    if (remote == null) {
      return "?";
    }
    return remote.hostAddress() != null ? remote.hostAddress() : String.valueOf(remote.path());
  }
}

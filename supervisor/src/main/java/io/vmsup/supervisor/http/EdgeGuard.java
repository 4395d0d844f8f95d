package io.vmsup.supervisor.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.http.impl.EdgeGuardImpl;

/**
 * Enforces {@link EdgeLimits} at the door of one HTTP server: connection caps at accept, the header and idle
 * timeouts, and the rate of mutating requests. Refusals are counted in {@code vmsup_http_edge_refusals_total}
 * (label {@code reason}); open connections in {@code vmsup_http_connections} (label {@code class}).
 *
 * <p>Install both halves on the same server: {@code server.connectionHandler(guard.connectionHandler())} and the
 * {@link #requestHandler()} as the router's first handler ({@link ApiOptions#withEdge}). All state is confined to
 * the server's context (one server instance, one event loop).
 */
public interface EdgeGuard {

  /** Refusal reasons, the values of the {@code reason} label. */
  String UNAUTHENTICATED_CAP = "unauthenticated-cap";
  String ADDRESS_CAP = "address-cap";
  String HEADER_TIMEOUT = "header-timeout";
  String IDLE_TIMEOUT = "idle-timeout";
  String RATE_LIMIT = "rate-limit";

  /**
   * @param registry where the refusal counters and connection gauges go; {@code null} for none
   */
  static EdgeGuard create(Vertx vertx, EdgeLimits limits, Tokens tokens, MeterRegistry registry) {
    return new EdgeGuardImpl(vertx, limits, tokens, registry);
  }

  /** For {@code HttpServer.connectionHandler}: counts, caps and times each new connection. */
  Handler<HttpConnection> connectionHandler();

  /** The router's first handler: stops the header timer, promotes authenticated connections, limits the rate. */
  Handler<RoutingContext> requestHandler();

  /** The limits in force. */
  EdgeLimits limits();

  /** Connections open now that presented the token on one of their requests. */
  int authenticatedConnections();

  /** Connections open now that have not (yet) presented the token. */
  int unauthenticatedConnections();
}

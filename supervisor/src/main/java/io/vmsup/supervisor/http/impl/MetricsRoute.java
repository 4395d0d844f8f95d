package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.http.Tokens;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: open to loopback peers, bearer token for everyone else. The Prometheus text format by default;
 * OpenMetrics 1.0 for a client that prefers it ({@code Accept: application/openmetrics-text}, as Prometheus sends).
 */
final class MetricsRoute implements Handler<RoutingContext> {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final BearerAuthHandler auth;
  private final Supplier<Future<String>> scrape;
  private final Supplier<Future<String>> openMetrics;

  MetricsRoute(Tokens tokens, Supplier<Future<String>> scrape, Supplier<Future<String>> openMetrics) {
    this.auth = new BearerAuthHandler(tokens, record -> { });
    this.scrape = scrape;
    this.openMetrics = openMetrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (isLoopback(ctx.request().remoteAddress()) || auth.check(ctx)) {
      serve(ctx);
    }
  }

  private void serve(RoutingContext ctx) {
    boolean open = openMetrics != null && prefersOpenMetrics(ctx.request().getHeader(HttpHeaders.ACCEPT));
    (open ? openMetrics : scrape).get().onComplete(ar -> {
      if (ar.failed()) {
        Responses.problem(ctx, ProblemMapper.internal("metrics unavailable: " + ar.cause().getMessage()));
      } else {
        ctx.response().putHeader(HttpHeaders.VARY, "Accept")
            .putHeader(HttpHeaders.CONTENT_TYPE, open ? OPENMETRICS : CONTENT_TYPE).end(ar.result());
      }
    });
  }

  /**
   * Whether an {@code Accept} header ranks OpenMetrics at least as high as the text format (RFC 9110 quality
   * values; {@code text/*} and {@code *}{@code /*} count for the text format).
   */
  static boolean prefersOpenMetrics(String accept) {
    if (accept == null) {
      return false;
    }
    double open = 0;
    double text = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
      double q = 1;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.startsWith("q=")) {
          try {
            q = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (type.equals("application/openmetrics-text")) {
        open = Math.max(open, q);
      } else if (type.equals("text/plain") || type.equals("text/*") || type.equals("*/*")) {
        text = Math.max(text, q);
      }
    }
    return open > 0 && open >= text;
  }

  static boolean isLoopback(SocketAddress address) {
    if (address == null || address.isDomainSocket() || address.hostAddress() == null) {
      return address != null && address.isDomainSocket();
    }
    try {
      // hostAddress() is a literal IP, so this does no name lookup
      return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

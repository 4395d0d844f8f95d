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

/** {@code GET /metrics}: open to loopback peers, bearer token for everyone else. */
final class MetricsRoute implements Handler<RoutingContext> {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final BearerAuthHandler auth;
  private final Supplier<Future<String>> scrape;

  MetricsRoute(Tokens tokens, Supplier<Future<String>> scrape) {
    this.auth = new BearerAuthHandler(tokens, record -> { });
    this.scrape = scrape;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (isLoopback(ctx.request().remoteAddress()) || auth.check(ctx)) {
      serve(ctx);
    }
  }

  private void serve(RoutingContext ctx) {
    scrape.get().onComplete(ar -> {
      if (ar.failed()) {
        Responses.problem(ctx, ProblemMapper.internal("metrics unavailable: " + ar.cause().getMessage()));
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(ar.result());
      }
    });
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

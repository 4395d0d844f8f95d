package io.vmsup.supervisor.http.impl;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.http.AccessToken;

/** Lets a request through only with {@code Authorization: Bearer <token>}; 401 problem otherwise. */
final class BearerAuthHandler implements Handler<RoutingContext> {

  private final AccessToken token;

  BearerAuthHandler(AccessToken token) {
    this.token = token;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (check(ctx)) {
      ctx.next();
    }
  }

  /** True when the request carries the token; otherwise answers 401 and returns false. */
  boolean check(RoutingContext ctx) {
    if (token.matchesAuthorization(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      return true;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"vmsup\"");
    Responses.problem(ctx, HttpProblems.unauthorized());
    return false;
  }
}

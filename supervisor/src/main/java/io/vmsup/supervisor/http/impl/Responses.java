package io.vmsup.supervisor.http.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.http.Problem;

/** Writing JSON and problem responses. */
final class Responses {

  private Responses() {
  }

  static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (body instanceof Buffer encoded) {
      // JSON text already (the list)
      ctx.response().end(encoded);
    } else {
      ctx.response().end(body instanceof JsonObject json ? json.encode() : String.valueOf(body));
    }
  }

  static void problem(RoutingContext ctx, Problem problem) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .end(problem.toJson(ctx.request().path()).encode());
  }

  static void busFailure(RoutingContext ctx, Throwable failure) {
    problem(ctx, ProblemMapper.fromBusFailure(failure));
  }
}

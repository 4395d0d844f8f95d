package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/openapi.json}: the contract the edge enforces ({@code docs/openapi.json}), with {@code servers}
 * naming the address this daemon was reached at (its configured listen address; the interface the request came to
 * when it listens on all of them), over TLS when it serves TLS.
 */
final class OpenApiRoute {

  private final Future<ApiContract> contract;

  OpenApiRoute(Future<ApiContract> contract) {
    this.contract = contract;
  }

  void handle(RoutingContext ctx) {
    contract.onComplete(ar -> {
      if (ar.failed()) {
        Responses.problem(ctx, ProblemMapper.internal("the API contract could not be loaded: "
            + ar.cause().getMessage()));
        return;
      }
      JsonObject doc = ar.result().document().copy();
      doc.put("servers", new JsonArray().add(new JsonObject().put("url", url(ctx))
          .put("description", "this daemon")));
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(doc.encode());
    });
  }

  static String url(RoutingContext ctx) {
    SocketAddress local = ctx.request().localAddress();
    String host = local == null || local.host() == null ? "127.0.0.1" : local.host();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (ctx.request().isSSL() ? "https" : "http") + "://" + host + ":" + (local == null ? 0 : local.port());
  }
}

package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/openapi.json}: the static OpenAPI 3 document shipped as a class-path resource. */
final class OpenApiDocument {

  static final String RESOURCE = "io/vmsup/supervisor/http/openapi.json";

  private final Vertx vertx;
  private Future<Buffer> document;

  OpenApiDocument(Vertx vertx) {
    this.vertx = vertx;
  }

  void handle(RoutingContext ctx) {
    if (document == null || document.failed()) {
      // Vert.x's file system resolves class-path resources; read once, serve from memory afterwards
      document = vertx.fileSystem().readFile(RESOURCE);
    }
    document.onComplete(ar -> {
      if (ar.failed()) {
        Responses.problem(ctx, ProblemMapper.internal("OpenAPI document missing: " + ar.cause().getMessage()));
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ar.result());
      }
    });
  }
}

package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * A document shipped as a class-path resource, served as is: the VM spec's JSON Schema
 * ({@code GET /v1/schema/vm-spec.json}, whose source is {@code docs/schema/vm-spec.json}).
 */
final class StaticDocument {

  static final String VM_SPEC_SCHEMA = "io/vmsup/supervisor/http/schema/vm-spec.json";

  private final Vertx vertx;
  private final String resource;
  private final String contentType;
  private Future<Buffer> document;

  StaticDocument(Vertx vertx, String resource, String contentType) {
    this.vertx = vertx;
    this.resource = resource;
    this.contentType = contentType;
  }

  void handle(RoutingContext ctx) {
    if (document == null || document.failed()) {
      // Vert.x's file system resolves class-path resources; read once, serve from memory afterwards
      document = vertx.fileSystem().readFile(resource);
    }
    document.onComplete(ar -> {
      if (ar.failed()) {
        Responses.problem(ctx, ProblemMapper.internal("document " + resource + " missing: "
            + ar.cause().getMessage()));
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(ar.result());
      }
    });
  }
}

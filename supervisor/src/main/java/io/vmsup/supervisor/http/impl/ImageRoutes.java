package io.vmsup.supervisor.http.impl;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;

/**
 * The image store under {@code /v1/images}: {@code POST} (import) → {@code vmsup.image.import}, {@code GET} →
 * {@code vmsup.image.list}, {@code GET /{name}} → {@code vmsup.image.get}, {@code DELETE /{name}} →
 * {@code vmsup.image.delete}.
 */
final class ImageRoutes {

  /** An import copies the whole file: it may take long, and reports its progress as events meanwhile. */
  private static final Duration IMPORT_TIMEOUT = Duration.ofHours(6);

  private final VmRoutes vms;
  private final Duration timeout;

  ImageRoutes(VmRoutes vms, Duration timeout) {
    this.vms = vms;
    this.timeout = timeout;
  }

  void mount(Router router) {
    router.post("/v1/images").handler(this::importImage);
    router.get("/v1/images").handler(ctx -> VmRoutes.reply(ctx, vms.request(ctx, Addresses.IMAGE_LIST,
        new JsonObject(), timeout), 200));
    router.get("/v1/images/:name").handler(ctx -> VmRoutes.reply(ctx, vms.request(ctx, Addresses.IMAGE_GET,
        named(ctx), timeout), 200));
    router.delete("/v1/images/:name").handler(this::delete);
  }

  private void importImage(RoutingContext ctx) {
    // parsed and checked against docs/openapi.json (name and path required, no other fields) by ContractGuard
    JsonObject body = JsonBodies.object(ctx);
    vms.request(ctx, Addresses.IMAGE_IMPORT, body, IMPORT_TIMEOUT).onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
        return;
      }
      ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/images/" + body.getString("name"));
      Responses.json(ctx, 201, ar.result().body());
    });
  }

  private void delete(RoutingContext ctx) {
    vms.request(ctx, Addresses.IMAGE_DELETE, named(ctx), timeout).onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private static JsonObject named(RoutingContext ctx) {
    return new JsonObject().put("name", ctx.pathParam("name"));
  }
}

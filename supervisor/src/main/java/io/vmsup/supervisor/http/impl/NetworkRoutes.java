package io.vmsup.supervisor.http.impl;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;

/**
 * {@code /v1/networks}: {@code POST} → {@code vmsup.network.create} (201 and Location), {@code GET} → list,
 * {@code GET /v1/networks/{name}} → get, {@code DELETE /v1/networks/{name}} → delete (204).
 */
final class NetworkRoutes {

  private final VmRoutes vms;
  private final Duration timeout;

  NetworkRoutes(VmRoutes vms, Duration timeout) {
    this.vms = vms;
    this.timeout = timeout;
  }

  void mount(Router router) {
    router.post("/v1/networks").handler(this::create);
    router.get("/v1/networks").handler(ctx -> VmRoutes.reply(ctx, vms.request(ctx, Addresses.NETWORK_LIST,
        new JsonObject(), timeout), 200));
    router.get("/v1/networks/:name").handler(ctx -> VmRoutes.reply(ctx, vms.request(ctx, Addresses.NETWORK_GET,
        named(ctx), timeout), 200));
    router.delete("/v1/networks/:name").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    // parsed and checked against docs/openapi.json (NetworkSpec) by ContractGuard
    JsonObject body = JsonBodies.object(ctx);
    // host commands and a dnsmasq start: allow more than a VM command's time
    vms.request(ctx, Addresses.NETWORK_CREATE, body, timeout.multipliedBy(3)).onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
        return;
      }
      Object view = ar.result().body();
      if (view instanceof JsonObject j && j.getString("name") != null) {
        ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/networks/" + j.getString("name"));
      }
      Responses.json(ctx, 201, view);
    });
  }

  private void delete(RoutingContext ctx) {
    vms.request(ctx, Addresses.NETWORK_DELETE, named(ctx), timeout.multipliedBy(3)).onComplete(ar -> {
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

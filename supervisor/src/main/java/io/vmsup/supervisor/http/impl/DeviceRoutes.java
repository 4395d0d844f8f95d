package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;

/**
 * Device hot-plug and the console input of {@code /v1/vms/{name}}: {@code POST devices} → {@code vmsup.vm.attach},
 * {@code DELETE devices/{id}} → {@code vmsup.vm.detach}, {@code POST console} → {@code vmsup.vm.console.write}.
 */
final class DeviceRoutes {

  /** {@code vmsup.vm.detach} waits this long for {@code DEVICE_DELETED} unless told otherwise. */
  static final int DEFAULT_DETACH_SECONDS = 30;

  private final VmRoutes vms;
  private final Duration timeout;

  DeviceRoutes(VmRoutes vms, Duration timeout) {
    this.vms = vms;
    this.timeout = timeout;
  }

  /** Mounts the routes (each one is an operation of docs/openapi.json). */
  void mount(Router router) {
    router.post("/v1/vms/:name/devices").handler(this::attach);
    router.delete("/v1/vms/:name/devices/:id").handler(this::detach);
    router.post("/v1/vms/:name/console").handler(this::write);
  }

  private void attach(RoutingContext ctx) {
    JsonObject body = named(ctx).put("device", JsonBodies.object(ctx));
    VmRoutes.reply(ctx, vms.request(ctx, Addresses.ATTACH, body, timeout), 200);
  }

  private void detach(RoutingContext ctx) {
    JsonObject body = named(ctx).put("id", ctx.pathParam("id"));
    int wait = DEFAULT_DETACH_SECONDS;
    String value = ctx.request().getParam("timeoutSeconds");
    if (value != null) {
      // the document bounds it (1 to 86400)
      wait = JsonBodies.wholeInt(value);
      body.put("timeoutSeconds", wait);
    }
    // device_del completes on the guest's DEVICE_DELETED, which may take the whole wait
    VmRoutes.reply(ctx, vms.request(ctx, Addresses.DETACH, body, timeout.plusSeconds(wait)), 200);
  }

  // text/plain is written as is, application/json as {"data": "..."}: ContractGuard checked both against the document
  private void write(RoutingContext ctx) {
    Object body = JsonBodies.body(ctx);
    String data = body instanceof JsonObject json ? json.getString("data") : (String) body;
    VmRoutes.reply(ctx, vms.request(ctx, Addresses.CONSOLE_WRITE, named(ctx).put("data", data), timeout), 200);
  }

  private static JsonObject named(RoutingContext ctx) {
    return new JsonObject().put("name", ctx.pathParam("name"));
  }
}

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

  /** Mounts before {@link VmRoutes#mount}, whose {@code POST /v1/vms/:name/:action} would take these paths. */
  void mount(Router router) {
    router.post("/v1/vms/:name/devices").handler(this::attach);
    router.delete("/v1/vms/:name/devices/:id").handler(this::detach);
    router.post("/v1/vms/:name/console").handler(this::write);
  }

  private void attach(RoutingContext ctx) {
    JsonObject device = VmRoutes.jsonBody(ctx);
    if (device == null) {
      return;
    }
    JsonObject body = named(ctx).put("device", device);
    VmRoutes.reply(ctx, vms.request(ctx, Addresses.ATTACH, body, timeout), 200);
  }

  private void detach(RoutingContext ctx) {
    JsonObject body = named(ctx).put("id", ctx.pathParam("id"));
    int wait = DEFAULT_DETACH_SECONDS;
    String value = ctx.request().getParam("timeoutSeconds");
    if (value != null) {
      try {
        wait = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        wait = -1;
      }
      if (wait < 1) {
        Responses.problem(ctx, HttpProblems.badBody("timeoutSeconds", "must be a whole number of seconds >= 1"));
        return;
      }
      body.put("timeoutSeconds", wait);
    }
    // device_del completes on the guest's DEVICE_DELETED, which may take the whole wait
    VmRoutes.reply(ctx, vms.request(ctx, Addresses.DETACH, body, timeout.plusSeconds(wait)), 200);
  }

  private void write(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String data;
    if (type != null && type.toLowerCase().startsWith("text/plain")) {
      data = ctx.body() == null ? "" : ctx.body().asString();
    } else {
      JsonObject json = VmRoutes.jsonBody(ctx);
      if (json == null || !JsonBodies.onlyFields(ctx, json, java.util.Set.of("data"))) {
        return;
      }
      if (!(json.getValue("data") instanceof String s)) {
        Responses.problem(ctx, HttpProblems.badBody("data", "must be a string (the text to write, as is)"));
        return;
      }
      data = s;
    }
    if (data.isEmpty()) {
      Responses.problem(ctx, HttpProblems.badBody("data", "must not be empty"));
      return;
    }
    VmRoutes.reply(ctx, vms.request(ctx, Addresses.CONSOLE_WRITE, named(ctx).put("data", data), timeout), 200);
  }

  private static JsonObject named(RoutingContext ctx) {
    return new JsonObject().put("name", ctx.pathParam("name"));
  }
}

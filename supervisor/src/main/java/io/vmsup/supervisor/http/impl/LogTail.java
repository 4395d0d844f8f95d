package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.Op;
import java.time.Duration;

/**
 * {@code GET /v1/vms/{name}/log?lines=N}: the last lines of each of a VM's logs, asked of the VM's actor over the
 * bus ({@link Op#LOG}); the HTTP layer reads no file itself.
 */
final class LogTail {

  static final int DEFAULT_LINES = 100;
  static final int MAX_LINES = 5000;

  private final VmRoutes vms;

  LogTail(VmRoutes vms) {
    this.vms = vms;
  }

  void handle(RoutingContext ctx) {
    Integer lines = lines(ctx);
    if (lines == null) {
      return;
    }
    JsonObject body = new JsonObject().put("name", ctx.pathParam("name")).put("lines", lines);
    vms.request(Op.LOG.address(), body, Duration.ofSeconds(10)).onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
      } else {
        Responses.json(ctx, 200, (JsonObject) ar.result().body());
      }
    });
  }

  private static Integer lines(RoutingContext ctx) {
    String value = ctx.request().getParam("lines");
    if (value == null) {
      return DEFAULT_LINES;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 0 && n <= MAX_LINES) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    Responses.problem(ctx, HttpProblems.badBody("lines", "must be a whole number from 0 to " + MAX_LINES));
    return null;
  }
}

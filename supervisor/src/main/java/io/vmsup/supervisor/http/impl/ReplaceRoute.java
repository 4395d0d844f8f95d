package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.http.Problem;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /v1/vms/{name}} with its {@code ETag}, and {@code PUT /v1/vms/{name}}: the whole spec of a VM without a
 * process replaced, on the condition {@code If-Match} names its current tag ({@code vmsup.vm.replace}). Without
 * {@code If-Match} 428; a tag that is not the current one 412 with the current tag in {@code ETag}.
 */
final class ReplaceRoute {

  private final VmRoutes vms;
  private final Duration timeout;

  ReplaceRoute(VmRoutes vms, Duration timeout) {
    this.vms = vms;
    this.timeout = timeout;
  }

  void mount(Router router) {
    router.get("/v1/vms/:name").handler(this::get);
    router.put("/v1/vms/:name").handler(this::replace);
  }

  private void get(RoutingContext ctx) {
    answer(ctx, vms.request(Addresses.GET, new JsonObject().put("name", ctx.pathParam("name")), timeout));
  }

  // the body was parsed and validated (a VM spec) by ContractGuard
  private void replace(RoutingContext ctx) {
    // RFC 9110 5.3: several If-Match field lines are one comma-separated list
    List<String> lines = ctx.request().headers().getAll("If-Match");
    String header = lines.isEmpty() ? null : String.join(", ", lines);
    if (header == null) {
      Responses.problem(ctx, new Problem(428, "PRECONDITION_REQUIRED", "Precondition required", "send If-Match"
          + " with the VM's current ETag (from GET /v1/vms/" + ctx.pathParam("name") + "), so that a change made"
          + " meanwhile is not overwritten; If-Match: * replaces whatever spec the VM has", null));
      return;
    }
    List<String> tags;
    try {
      tags = EntityTags.ifMatch(header);
    } catch (IllegalArgumentException e) {
      Responses.problem(ctx, HttpProblems.badBody("If-Match", e.getMessage()));
      return;
    }
    String name = ctx.pathParam("name");
    JsonObject spec = JsonBodies.object(ctx);
    if (!name.equals(spec.getValue("name"))) {
      Responses.problem(ctx, HttpProblems.badBody("name", "must be \"" + name + "\", the name in the path: a VM"
          + " cannot be renamed"));
      return;
    }
    JsonObject body = new JsonObject().put("name", name).put("spec", spec);
    JsonArray ifMatch = EntityTags.forBus(tags);
    if (ifMatch != null) {
      body.put("ifMatch", ifMatch);
    }
    answer(ctx, vms.request(ctx, Addresses.REPLACE, body, timeout));
  }

  /** A VM view with its ETag, or the problem (a 412 with the current ETag). */
  private static void answer(RoutingContext ctx, Future<Message<Object>> request) {
    request.onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof ReplyException r && VmException.fromReply(r).details().getValue("specVersion")
            instanceof String current) {
          ctx.response().putHeader("ETag", EntityTags.of(current));
        }
        Responses.busFailure(ctx, ar.cause());
        return;
      }
      if (ar.result().body() instanceof JsonObject view && view.getValue("specVersion") instanceof String v) {
        ctx.response().putHeader("ETag", EntityTags.of(v));
      }
      Responses.json(ctx, 200, ar.result().body() == null ? new JsonObject() : ar.result().body());
    });
  }
}

package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.http.Scope;
import java.time.Duration;
import java.util.Set;

/** The VM routes of {@code /v1}: each one is one event-bus request. */
final class VmRoutes {

  private final Vertx vertx;
  private final Duration timeout;

  VmRoutes(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
  }

  void mount(Router router) {
    router.post("/v1/vms").handler(this::create);
    router.get("/v1/vms").handler(ctx -> reply(ctx, request(Addresses.LIST, new JsonObject(), timeout), 200));
    router.get("/v1/vms/:name").handler(ctx -> reply(ctx, request(Addresses.GET, named(ctx), timeout), 200));
    router.get("/v1/vms/:name/argv").handler(ctx -> reply(ctx, request(Addresses.RENDER, named(ctx), timeout), 200));
    router.delete("/v1/vms/:name").handler(this::delete);
    router.post("/v1/vms/:name/qmp").handler(this::qmp);
    router.post("/v1/vms/:name/:action").handler(this::action);
  }

  Future<Message<Object>> request(String address, JsonObject body, Duration timeout) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return vertx.eventBus().request(address, body, options);
  }

  /** A request on behalf of an HTTP caller: its scope travels in the message headers (the bus enforces it). */
  Future<Message<Object>> request(RoutingContext ctx, String address, JsonObject body, Duration timeout) {
    Scope scope = BearerAuthHandler.scope(ctx);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis())
        .addHeader(Scope.HEADER, scope == null ? Scope.READ.json() : scope.json())
        .addHeader(Scope.TRANSPORT_HEADER, "http");
    return vertx.eventBus().request(address, body, options);
  }

  private void create(RoutingContext ctx) {
    JsonObject spec = jsonBody(ctx);
    if (spec == null) {
      return;
    }
    request(ctx, Addresses.CREATE, spec, timeout).onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
        return;
      }
      Object body = ar.result().body();
      if (body instanceof JsonObject view && view.getString("name") != null) {
        ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/vms/" + view.getString("name"));
      }
      Responses.json(ctx, 201, body);
    });
  }

  private void delete(RoutingContext ctx) {
    request(ctx, Addresses.DELETE, named(ctx), timeout).onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private void qmp(RoutingContext ctx) {
    JsonObject command = jsonBody(ctx);
    if (command == null) {
      return;
    }
    if (!JsonBodies.onlyFields(ctx, command, Set.of("execute", "arguments"))) {
      return;
    }
    if (command.getValue("arguments") != null && !(command.getValue("arguments") instanceof JsonObject)) {
      Responses.problem(ctx, HttpProblems.badBody("arguments", "must be a JSON object (the command's arguments)"));
      return;
    }
    if (!(command.getValue("execute") instanceof String)) {
      Responses.problem(ctx, HttpProblems.badBody("execute", "must be a QMP command name"));
      return;
    }
    JsonObject body = named(ctx).put("execute", command.getString("execute"));
    if (command.getValue("arguments") != null) {
      body.put("arguments", command.getValue("arguments"));
    }
    reply(ctx, request(ctx, Addresses.QMP, body, timeout), 200);
  }

  private void action(RoutingContext ctx) {
    Op op = Op.action(ctx.pathParam("action")).orElse(null);
    if (op == null) {
      Responses.problem(ctx, HttpProblems.noRoute(ctx.request().method().name(), ctx.request().path()));
      return;
    }
    JsonObject body = named(ctx);
    Duration wait = timeout;
    if (op == Op.STOP) {
      Integer grace = graceSeconds(ctx);
      if (grace == null && ctx.response().ended()) {
        return;
      }
      if (grace != null) {
        body.put("graceSeconds", grace);
        // the stop ladder may take the whole grace period before it escalates
        wait = timeout.plusSeconds(grace);
      } else {
        // the VM's own stopGrace (unknown here, may be minutes) applies: the registry's send timeout bounds the wait
        wait = Duration.ofDays(1);
      }
    } else if (!JsonBodies.empty(ctx)) {
      JsonObject json = jsonBody(ctx);
      if (json == null || !JsonBodies.onlyFields(ctx, json, Set.of())) {
        return;
      }
    }
    reply(ctx, request(ctx, op.address(), body, wait), 200);
  }

  // graceSeconds from the query (?graceSeconds=N) or the JSON body; null when absent or after a 400 was sent
  private Integer graceSeconds(RoutingContext ctx) {
    String query = ctx.request().getParam("graceSeconds");
    Object value = query;
    if (!JsonBodies.empty(ctx)) {
      JsonObject json = jsonBody(ctx);
      if (json == null || !JsonBodies.onlyFields(ctx, json, Set.of("graceSeconds"))) {
        return null;
      }
      if (query == null) {
        value = json.getValue("graceSeconds");
      }
    }
    return value == null ? null : JsonBodies.wholeNonNegative(ctx, "graceSeconds", value, "seconds");
  }


  private static JsonObject named(RoutingContext ctx) {
    return new JsonObject().put("name", ctx.pathParam("name"));
  }

  static void reply(RoutingContext ctx, Future<Message<Object>> request, int status) {
    request.onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
      } else {
        Object body = ar.result().body();
        Responses.json(ctx, status, body == null ? new JsonObject() : body);
      }
    });
  }

  /** The body as a JSON object, or null after answering 400/415. */
  static JsonObject jsonBody(RoutingContext ctx) {
    return JsonBodies.object(ctx);
  }

}

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
import io.vmsup.supervisor.api.CreateAndStart;
import io.vmsup.supervisor.api.VmException;
import io.vertx.core.eventbus.ReplyException;
import io.vmsup.supervisor.api.ListEncoded;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.Scope;
import java.time.Duration;
import java.util.List;

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
    router.get("/v1/vms").handler(this::list);
    router.get("/v1/hosts").handler(ctx -> reply(ctx, request(Addresses.HOSTS_LIST, new JsonObject(), timeout), 200));
    router.post("/v1/hosts/:host/cordon").handler(ctx -> reply(ctx, request(ctx, Addresses.HOST_CORDON,
        new JsonObject().put("host", ctx.pathParam("host")), timeout), 200));
    router.post("/v1/hosts/:host/uncordon").handler(ctx -> reply(ctx, request(ctx, Addresses.HOST_UNCORDON,
        new JsonObject().put("host", ctx.pathParam("host")), timeout), 200));
    new ReplaceRoute(this, timeout).mount(router);
    router.get("/v1/vms/:name/argv").handler(ctx -> reply(ctx, request(Addresses.RENDER, named(ctx), timeout), 200));
    router.delete("/v1/vms/:name").handler(this::delete);
    for (Op op : Op.values()) {
      if (op.action()) {
        router.post("/v1/vms/:name/" + op.verb()).handler(ctx -> action(ctx, op));
      }
    }
  }

  /**
   * {@code POST /v1/vms/:name/qmp}, mounted before the other resource routes ({@link HttpApiImpl}). A request the
   * contract guard passed as the {@code qmp} operation whose name is written plainly (no percent-escape, no dot
   * segment: {@link PassThroughs#plainName}) is taken by a prefix route ({@code POST /v1/*}, no path regex: issue 15,
   * the regex's match was ~7 % of the HTTP loop's samples); any other spelling goes to the path route, which decodes
   * the name. A prefix, not a route without a path: one that matches every request would turn Vert.x Web's 405 for a
   * known path with an unknown method (POST /health) into 404.
   */
  void mountPassThrough(Router router) {
    router.post("/v1/*").handler(ctx -> {
      String name = "qmp".equals(ctx.get(ContractGuard.OPERATION)) ? PassThroughs.plainName(ctx.request().path()) : null;
      if (name == null) {
        ctx.next();
      } else {
        qmp(ctx, name);
      }
    });
    router.post("/v1/vms/:name/qmp").handler(ctx -> qmp(ctx, ctx.pathParam("name")));
  }

  Future<Message<Object>> request(String address, JsonObject body, Duration timeout) {
    // local only: in a fleet this member's own router answers (and forwards); a clustered bus would otherwise pick
    // any member's, a lost one's too until its registrations are gone
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis()).setLocalOnly(true);
    return vertx.eventBus().request(address, body, options);
  }

  private void list(RoutingContext ctx) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis()).setLocalOnly(true);
    if (!vertx.isClustered()) {
      // the registry answers the body's text, its views encoded once each (a fleet's router gathers JSON instead)
      options.addHeader(ListEncoded.HEADER, "true");
    }
    reply(ctx, vertx.eventBus().request(Addresses.LIST, listFilter(ctx), options), 200);
  }

  /** A request on behalf of an HTTP caller: its scope travels in the message headers (the bus enforces it). */
  Future<Message<Object>> request(RoutingContext ctx, String address, JsonObject body, Duration timeout) {
    return request(ctx, address, body, timeout, new DeliveryOptions());
  }

  /** As above, with the request's own headers in {@code options}. */
  private Future<Message<Object>> request(RoutingContext ctx, String address, JsonObject body, Duration timeout,
      DeliveryOptions options) {
    Scope scope = BearerAuthHandler.scope(ctx);
    options.setSendTimeout(timeout.toMillis()).setLocalOnly(true)
        .addHeader(Scope.HEADER, scope == null ? Scope.READ.json() : scope.json())
        .addHeader(Scope.TRANSPORT_HEADER, "http");
    return vertx.eventBus().request(address, body, options);
  }

  // every body below was parsed and validated against the OpenAPI document by ContractGuard
  private void create(RoutingContext ctx) {
    // ?start=true (checked by the guard: a boolean): create and start in one request
    boolean start = "true".equals(ctx.request().getParam("start"));
    DeliveryOptions options = new DeliveryOptions();
    if (start) {
      options.addHeader(CreateAndStart.HEADER, "true");
    }
    // a start may wait its turn in the start queue for long: the registry's limit, counted from the turn, rules
    request(ctx, Addresses.CREATE, JsonBodies.object(ctx), start ? Duration.ofDays(1) : timeout, options)
        .onComplete(ar -> {
      if (ar.failed()) {
        if (start && ar.cause() instanceof ReplyException r
            && Boolean.TRUE.equals(VmException.fromReply(r).details().getValue("created"))
            && JsonBodies.object(ctx).getValue("name") instanceof String name) {
          // created, and its start failed: the problem says so, and the VM exists where Location says
          ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/vms/" + name);
        }
        Responses.busFailure(ctx, ar.cause());
        return;
      }
      Object body = ar.result().body();
      if (body instanceof JsonObject view && view.getString("name") != null) {
        ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/vms/" + view.getString("name"));
      }
      if (body instanceof JsonObject view && view.getValue("specVersion") instanceof String version) {
        ctx.response().putHeader(HttpHeaders.ETAG, EntityTags.of(version));
      }
      Responses.json(ctx, 201, body);
    });
  }

  private void delete(RoutingContext ctx) {
    String keep = ctx.request().getParam("keepDisks");
    if (keep != null && !keep.equals("true") && !keep.equals("false")) {
      Responses.problem(ctx, HttpProblems.badBody("keepDisks", "must be true or false"));
      return;
    }
    JsonObject body = named(ctx);
    if ("true".equals(keep)) {
      body.put("keepDisks", true);
    }
    request(ctx, Addresses.DELETE, body, timeout).onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private void qmp(RoutingContext ctx, String name) {
    JsonObject command = JsonBodies.object(ctx);
    JsonObject body = new JsonObject().put("name", name).put("execute", command.getString("execute"));
    if (command.getValue("arguments") != null) {
      body.put("arguments", command.getValue("arguments"));
    }
    // on a single host the VM's actor takes the request on its own address (one event loop less than the registry)
    reply(ctx, PassThroughs.send(name, !vertx.isClustered(),
        address -> request(ctx, address, body, timeout)), 200);
  }

  /** {@code GET /v1/vms?labels=KEY=VALUE,...}: the VMs whose spec carries every label given (the edge checked it). */
  private static JsonObject listFilter(RoutingContext ctx) {
    List<String> given = ctx.queryParam("labels");
    if (given.isEmpty()) {
      return new JsonObject();
    }
    JsonObject labels = new JsonObject();
    for (String pair : given.get(0).split(",")) {
      int eq = pair.indexOf('=');
      labels.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
    }
    return new JsonObject().put("labels", labels);
  }

  private void action(RoutingContext ctx, Op op) {
    JsonObject body = named(ctx);
    Duration wait = timeout;
    if (op == Op.STOP) {
      Integer grace = graceSeconds(ctx);
      if (grace != null) {
        body.put("graceSeconds", grace);
        // the stop ladder may take the whole grace period before it escalates
        wait = timeout.plusSeconds(grace);
      } else {
        // the VM's own stopGrace (unknown here, may be minutes) applies: the registry's send timeout bounds the wait
        wait = Duration.ofDays(1);
      }
    } else if (op == Op.START) {
      // a start may wait its turn in the start queue for long: the registry's limit, counted from the turn, rules
      wait = Duration.ofDays(1);
    }
    reply(ctx, request(ctx, op.address(), body, wait), 200);
  }

  // graceSeconds from the query (?graceSeconds=N, which wins) or the JSON body; null when neither gives it
  private static Integer graceSeconds(RoutingContext ctx) {
    String query = ctx.request().getParam("graceSeconds");
    if (query != null) {
      return JsonBodies.wholeInt(query);
    }
    JsonObject json = JsonBodies.object(ctx);
    return json == null || json.getValue("graceSeconds") == null ? null
        : JsonBodies.wholeInt(json.getValue("graceSeconds"));
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


}

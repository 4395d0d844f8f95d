package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vmsup.supervisor.http.ApiOptions;

/** Assembles the API router; each route's behaviour lives in its own class. */
public final class HttpApiImpl {

  private HttpApiImpl() {
  }

  public static Router router(Vertx vertx, ApiOptions options) {
    Router router = Router.router(vertx);
    BearerAuthHandler auth = new BearerAuthHandler(options.tokens(), options.audit());
    VmRoutes vms = new VmRoutes(vertx, options.requestTimeout());
    EventStream events = new EventStream(vertx, vms, options.heartbeat());
    LogTail logs = new LogTail(vms);
    ConsoleStream console = new ConsoleStream(vertx, vms, options.heartbeat());
    Future<ApiContract> contract = ApiContract.load(vertx);
    StaticDocument specSchema = new StaticDocument(vertx, StaticDocument.VM_SPEC_SCHEMA, "application/schema+json");

    if (options.edge() != null) {
      router.route().handler(options.edge().requestHandler());
    }
    router.get("/health").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "UP")));
    if (options.metrics() != null) {
      router.get("/metrics").handler(new MetricsRoute(options.tokens(), options.metrics(), options.openMetrics()));
    }
    router.route("/v1/*").handler(auth);
    router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(options.bodyLimit()));
    // the OpenAPI document is the contract: nothing below sees a request it does not allow
    router.route("/v1/*").handler(new ContractGuard(vertx, contract));
    // the QMP pass-through first among the resources: a request is matched against each route before its own, and
    // no other route takes POST /v1/vms/NAME/qmp (issue 15: the walk over ~40 routes was 6 % of the edge's CPU)
    vms.mountPassThrough(router);
    router.get("/v1/openapi.json").handler(new OpenApiRoute(contract)::handle);
    router.get("/v1/schema/vm-spec.json").handler(specSchema::handle);
    router.get("/v1/events").handler(events::all);
    router.get("/v1/vms/:name/events").handler(events::ofVm);
    router.get("/v1/vms/:name/log").handler(logs::handle);
    router.get("/v1/vms/:name/console").handler(console::handle);
    new DeviceRoutes(vms, options.requestTimeout()).mount(router);
    new ImageRoutes(vms, options.requestTimeout()).mount(router);
    new SnapshotRoutes(vms, options.requestTimeout()).mount(router);
    new NetworkRoutes(vms, options.requestTimeout()).mount(router);
    vms.mount(router);
    if (options.bridge() != null) {
      // one body handler for all SockJS transports: xhr_send reads the body from the routing context, and a polling
      // request must be fully read before Vert.x's xhr transport closes its connection, or the session dies with it
      router.route("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(options.bodyLimit()));
      router.route("/eventbus/*").subRouter(options.bridge());
    }

    router.errorHandler(404, ctx -> Responses.problem(ctx,
        HttpProblems.noRoute(ctx.request().method().name(), ctx.request().path())));
    router.errorHandler(405, ctx -> methodNotAllowed(ctx, contract));
    router.route().failureHandler(ctx -> failure(ctx, options, contract));
    return router;
  }

  // 405 names the methods the document gives the path (RFC 9110: Allow is required)
  private static void methodNotAllowed(RoutingContext ctx, Future<ApiContract> contract) {
    contract.onComplete(ar -> {
      if (ar.succeeded() && !ar.result().methodsAt(ctx.request().path()).isEmpty()) {
        ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", ar.result().methodsAt(ctx.request().path())));
      }
      Responses.problem(ctx, HttpProblems.methodNotAllowed(ctx.request().method().name(), ctx.request().path()));
    });
  }

  private static void failure(RoutingContext ctx, ApiOptions options, Future<ApiContract> contract) {
    int status = ctx.statusCode();
    if (status == 413) {
      Responses.problem(ctx, HttpProblems.tooLarge(options.bodyLimit()));
    } else if (status == 401) {
      Responses.problem(ctx, HttpProblems.unauthorized());
    } else if (status == 405) {
      methodNotAllowed(ctx, contract);
    } else if (status == 404) {
      Responses.problem(ctx, HttpProblems.noRoute(ctx.request().method().name(), ctx.request().path()));
    } else if (status == 400) {
      Responses.problem(ctx, HttpProblems.badBody("", "bad request"));
    } else {
      String detail = ctx.failure() != null ? ctx.failure().getMessage() : "HTTP " + status;
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      Responses.problem(ctx, ProblemMapper.internal(detail));
    }
  }
}

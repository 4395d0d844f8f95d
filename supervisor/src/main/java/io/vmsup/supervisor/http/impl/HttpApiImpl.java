package io.vmsup.supervisor.http.impl;

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
    StaticDocument openApi = new StaticDocument(vertx, "io/vmsup/supervisor/http/openapi.json", "application/json");
    StaticDocument specSchema = new StaticDocument(vertx, StaticDocument.VM_SPEC_SCHEMA, "application/schema+json");

    if (options.edge() != null) {
      router.route().handler(options.edge().requestHandler());
    }
    router.get("/health").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "UP")));
    if (options.metrics() != null) {
      router.get("/metrics").handler(new MetricsRoute(options.tokens(), options.metrics()));
    }
    router.route("/v1/*").handler(auth);
    router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(options.bodyLimit()));
    router.get("/v1/openapi.json").handler(openApi::handle);
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
    router.errorHandler(405, ctx -> Responses.problem(ctx,
        HttpProblems.methodNotAllowed(ctx.request().method().name(), ctx.request().path())));
    router.route().failureHandler(ctx -> failure(ctx, options));
    return router;
  }

  private static void failure(RoutingContext ctx, ApiOptions options) {
    int status = ctx.statusCode();
    if (status == 413) {
      Responses.problem(ctx, HttpProblems.tooLarge(options.bodyLimit()));
    } else if (status == 401) {
      Responses.problem(ctx, HttpProblems.unauthorized());
    } else if (status == 404 || status == 405) {
      Responses.problem(ctx, status == 404
          ? HttpProblems.noRoute(ctx.request().method().name(), ctx.request().path())
          : HttpProblems.methodNotAllowed(ctx.request().method().name(), ctx.request().path()));
    } else if (status == 400) {
      Responses.problem(ctx, HttpProblems.badBody("", "bad request"));
    } else {
      String detail = ctx.failure() != null ? ctx.failure().getMessage() : "HTTP " + status;
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      Responses.problem(ctx, ProblemMapper.internal(detail));
    }
  }
}

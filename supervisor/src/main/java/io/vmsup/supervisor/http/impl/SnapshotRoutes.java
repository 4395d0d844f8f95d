package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpHeaders;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.image.Clones;
import java.time.Duration;

/**
 * A VM's snapshots and disk sizes: {@code GET|POST /v1/vms/{name}/snapshots} → {@code vmsup.vm.snapshot.list|create},
 * {@code POST .../snapshots/{snapshot}/revert} → {@code vmsup.vm.snapshot.revert}, {@code DELETE
 * .../snapshots/{snapshot}} → {@code vmsup.vm.snapshot.delete}, {@code POST /v1/vms/{name}/disks/{disk}/resize} →
 * {@code vmsup.vm.disk.resize}, {@code POST /v1/vms/{name}/clone} → {@code vmsup.vm.clone}.
 */
final class SnapshotRoutes {

  /** A snapshot with memory writes the guest's RAM; the registry bounds it (31 min). */
  private static final Duration JOB = Duration.ofMinutes(32);

  private final VmRoutes vms;
  private final Duration timeout;

  SnapshotRoutes(VmRoutes vms, Duration timeout) {
    this.vms = vms;
    this.timeout = timeout;
  }

  /** Mounts the routes (each one is an operation of docs/openapi.json). */
  void mount(Router router) {
    router.get("/v1/vms/:name/snapshots").handler(ctx -> VmRoutes.reply(ctx, vms.request(ctx,
        Addresses.SNAPSHOT_LIST, named(ctx), timeout), 200));
    router.post("/v1/vms/:name/snapshots").handler(this::create);
    router.post("/v1/vms/:name/snapshots/:snapshot/revert").handler(ctx -> VmRoutes.reply(ctx, vms.request(ctx,
        Addresses.SNAPSHOT_REVERT, named(ctx).put("snapshot", ctx.pathParam("snapshot")), JOB), 200));
    router.delete("/v1/vms/:name/snapshots/:snapshot").handler(ctx -> VmRoutes.reply(ctx, vms.request(ctx,
        Addresses.SNAPSHOT_DELETE, named(ctx).put("snapshot", ctx.pathParam("snapshot")), JOB), 200));
    router.post("/v1/vms/:name/disks/:disk/resize").handler(this::resize);
    router.post("/v1/vms/:name/clone").handler(this::cloneVm);
  }

  private void cloneVm(RoutingContext ctx) {
    // parsed and checked against docs/openapi.json by ContractGuard
    JsonObject body = JsonBodies.object(ctx);
    JsonObject request = named(ctx).put("as", body.getValue("as"));
    if (body.containsKey("linked")) {
      request.put("linked", body.getValue("linked"));
    }
    vms.request(ctx, Addresses.CLONE, request,
        Clones.COPY_LIMIT.plus(Duration.ofMinutes(1))).onComplete(ar -> {
          if (ar.failed()) {
            Responses.busFailure(ctx, ar.cause());
            return;
          }
          Object view = ar.result().body();
          if (view instanceof JsonObject v && v.getString("name") != null) {
            ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/vms/" + v.getString("name"));
          }
          Responses.json(ctx, 201, view);
        });
  }

  private void create(RoutingContext ctx) {
    // parsed and checked against docs/openapi.json by ContractGuard
    JsonObject body = JsonBodies.object(ctx);
    VmRoutes.reply(ctx, vms.request(ctx, Addresses.SNAPSHOT_CREATE, named(ctx)
        .put("snapshot", body.getValue("snapshot")), JOB), 201);
  }

  private void resize(RoutingContext ctx) {
    // parsed and checked against docs/openapi.json by ContractGuard
    JsonObject body = JsonBodies.object(ctx);
    VmRoutes.reply(ctx, vms.request(ctx, Addresses.DISK_RESIZE, named(ctx).put("disk", ctx.pathParam("disk"))
        .put("size", body.getValue("size")), timeout), 200);
  }

  private static JsonObject named(RoutingContext ctx) {
    return new JsonObject().put("name", ctx.pathParam("name"));
  }
}

package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.cluster.HostIds;
import java.time.Duration;

/**
 * The plain image and network addresses of a fleet member ({@code vmsup.image.*}, {@code vmsup.network.*}). Images
 * and networks belong to one host each: every host answers them on its own addresses ({@code
 * vmsup.host.<id>.image.list}, ...), and the plain address is the host named by the request's optional {@code
 * "host"} member, or else this member (HTTP and the CLI of a member therefore show that member's images and
 * networks). The request goes on without {@code "host"}, with its headers; the reply gains {@code "host"}. The
 * internal disk address ({@code vmsup.internal.image.disks}) is never routed: each host's image store answers it for
 * its own VMs only.
 */
final class HostScoped {

  /** An import copies a whole file: as long as HTTP waits for one. */
  private static final Duration IMPORT_TIMEOUT = Duration.ofHours(6);
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private HostScoped() {
  }

  /** Registers the router's consumer of {@code op}'s plain address (none for the internal disk address). */
  static void serve(FleetRouter router, Op op) {
    if (op == Op.IMAGE_DISKS) {
      return;
    }
    router.vertxOf().eventBus().<JsonObject>consumer(op.address(), m -> Replies.when(m, forward(router, m, op)));
  }

  private static Future<Object> forward(FleetRouter router, Message<JsonObject> m, Op op) {
    JsonObject body = m.body() == null ? new JsonObject() : m.body().copy();
    Object named = body.remove("host");
    if (named != null && !(named instanceof String s && HostIds.valid(s))) {
      return Future.failedFuture(VmException.invalid("host must be a fleet member's host id", new JsonArray()
          .add(new JsonObject().put("path", "host").put("message", "must be a string that " + HostIds.RULE))));
    }
    String host = named == null ? router.me() : (String) named;
    Future<Void> known = host.equals(router.me()) ? Future.succeededFuture()
        : router.hosts().get(host).compose(r -> r == null
            ? Future.failedFuture(new VmException(ErrorCode.NOT_FOUND, "no host '" + host + "' in the fleet"))
            : router.hosts().live(r) ? Future.<Void>succeededFuture()
            : Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE, "host '" + host + "' is lost (not a"
                + " member of the cluster now)", new JsonObject().put("host", host).put("reason", "host-lost"))));
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout((op == Op.IMAGE_IMPORT ? IMPORT_TIMEOUT : TIMEOUT).toMillis())
        .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(m.headers()));
    return known.compose(v -> router.vertxOf().eventBus().request(Addresses.onHost(host, op.address()), body,
        options)).transform(ar -> {
          if (ar.succeeded()) {
            Object reply = ar.result().body();
            if (reply instanceof JsonObject o) {
              o.put("host", host);
            }
            return Future.succeededFuture(reply);
          }
          Throwable t = ar.cause();
          if (t instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            return Future.failedFuture(VmException.fromReply(r));
          }
          return Future.failedFuture(t instanceof VmException ? t : FleetRouter.unavailable("host '" + host + "'",
              t));
        });
  }
}

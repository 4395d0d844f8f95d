package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Opens this member's event-bus connections to every live member before the daemon says it listens. The clustered
 * bus connects lazily, and the first message between two members pays for both sides' TLS set-up (the key store
 * built from the PEM files, key derivation, two mutual-TLS handshakes): 5-15 s on a loaded machine, longer than a
 * placement's wait for a member's answer. One {@code vmsup.host.<id>.info} request to each member (its reply comes
 * back over the other direction's connection) pays that once, at join. The member that joins last finds the
 * others' routers deployed; a member whose router is not registered yet is asked again a few times. Never fails:
 * a member that does not answer is logged, and the first real request pays instead.
 */
final class BusWarmUp {

  private static final Logger LOG = Logger.getLogger(BusWarmUp.class.getName());
  private static final long TIMEOUT_MS = 60_000;
  private static final int NO_HANDLER_TRIES = 10;
  private static final long RETRY_MS = 500;

  private BusWarmUp() {
  }

  /** Asks every live member but {@code me} for its host info; completes when each answered or gave up. */
  static Future<Void> run(Vertx vertx, String me, HostTable hosts) {
    return hosts.all().compose(all -> {
      List<Future<?>> asked = new ArrayList<>();
      all.values().stream().filter(r -> !r.host().equals(me) && hosts.live(r))
          .forEach(r -> asked.add(ask(vertx, r.host(), NO_HANDLER_TRIES)));
      return Future.join(asked);
    }).<Void>mapEmpty().recover(t -> Future.succeededFuture());
  }

  private static Future<Void> ask(Vertx vertx, String host, int tries) {
    long t0 = System.nanoTime();
    Promise<Void> done = Promise.promise();
    vertx.eventBus().request(Addresses.hostInfo(host), new JsonObject(), new DeliveryOptions()
        .setSendTimeout(TIMEOUT_MS)).onComplete(ar -> {
          if (ar.succeeded()) {
            LOG.info("event bus to member '" + host + "' open (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
            done.complete();
          } else if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
              && tries > 1) {
            vertx.setTimer(RETRY_MS, id -> ask(vertx, host, tries - 1).onComplete(done));
          } else {
            LOG.info("event bus to member '" + host + "' not opened at join (the first request opens it): "
                + ar.cause().getMessage());
            done.complete();
          }
        });
    return done.future();
  }
}

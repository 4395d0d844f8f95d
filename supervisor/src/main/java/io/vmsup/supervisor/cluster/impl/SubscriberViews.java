package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes every member read again who subscribes to some addresses. The clustered bus keeps, per address it published
 * to, a view of the subscribing nodes, updated only by Hazelcast's entry events on its registration map
 * (vertx-hazelcast 5.0.7 {@code SubsMapHelper}). A split-brain merge brings the other side's registrations into the
 * map without such events, so a member merged back kept publishing to the subscribers it knew during the split: its
 * own only, until some registration on that address changed somewhere (its {@code fenced} event missed the other
 * members in CI). Registering and unregistering a consumer on each address fires those events on every member, and
 * each then reads the address's whole registration list again. A publish-only address only: the consumer ignores
 * what it gets meanwhile.
 */
final class SubscriberViews {

  /** Addresses touched at once (each is two operations on Hazelcast's map and an event to every member). */
  static final int BATCH = 64;

  private SubscriberViews() {
  }

  /** Touches {@code addresses} a batch at a time; never fails (a view not refreshed stays as it was). */
  static Future<Void> refresh(Vertx vertx, List<String> addresses) {
    return batch(vertx, List.copyOf(addresses), 0);
  }

  private static Future<Void> batch(Vertx vertx, List<String> addresses, int from) {
    if (from >= addresses.size()) {
      return Future.succeededFuture();
    }
    List<Future<?>> touched = new ArrayList<>();
    for (String address : addresses.subList(from, Math.min(addresses.size(), from + BATCH))) {
      MessageConsumer<Object> touch = vertx.eventBus().consumer(address, ignored -> { });
      touched.add(touch.completion().eventually(touch::unregister));
    }
    return Future.join(touched).transform(ar -> batch(vertx, addresses, from + BATCH));
  }
}

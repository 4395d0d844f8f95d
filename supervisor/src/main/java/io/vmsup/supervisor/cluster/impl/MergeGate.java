package io.vmsup.supervisor.cluster.impl;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Holds every publish of this member while it is in the middle of a split-brain merge. While Hazelcast merges a member
 * back (from MERGING to MERGED), the member already sees the others, but the clustered event bus still sends a publish
 * only to the subscribers it knew during the split (vertx-hazelcast refreshes its view at MERGED): an event published
 * then reaches this member's own subscribers and nobody else's (CI: a healed member's {@code fenced}, published 0.8 s
 * before MERGED). Not even MERGED is enough: the merge brings the other side's registrations without the map events
 * that update the bus's view, so after MERGED the addresses this member publishes to are touched
 * ({@link SubscriberViews}) first. From MERGING until that refresh is done, every publish (an event: {@code send} and
 * replies are never held) waits here, as an outbound interceptor of the bus, in order; then they all go, in the order
 * they were asked for, before any later one. At most {@link #LIMIT} are held and for at most {@link #MAX_HOLD_MS}: past
 * either the gate opens early (logged), the held events go at once, and later ones of that merge may miss the other
 * members as before the gate (they always reach this member's own subscribers).
 */
final class MergeGate implements LifecycleListener, Handler<DeliveryContext<Object>> {

  /** After MERGED, how long the bus's own listener is given to drop its split-time view before a publish. */
  static final long SETTLE_MS = 500;
  /** Publishes held at most during one merge. */
  static final int LIMIT = 10_000;
  /** How long after MERGING the gate opens however far the merge got (a merge that hangs must not mute this member). */
  static final long MAX_HOLD_MS = 60_000;

  private static final Logger LOG = Logger.getLogger(MergeGate.class.getName());

  private final Vertx vertx;
  private final Supplier<List<String>> published;
  private final List<DeliveryContext<Object>> held = new ArrayList<>(); // guarded by this
  // read without the lock on every message: true from MERGING until the held publishes are all sent
  private volatile boolean holding;
  private boolean merging; // guarded by this: from MERGING until the refresh after MERGED is done
  private long rounds; // guarded by this: MERGINGs seen
  private int heldThisRound; // guarded by this
  private boolean draining; // guarded by this: one thread sends the held publishes, in order
  private UUID listener;

  private MergeGate(Vertx vertx, Supplier<List<String>> published) {
    this.vertx = vertx;
    this.published = published;
  }

  /**
   * Follows the lifecycle of {@code hazelcast} and intercepts this member's publishes from now on; after a merge,
   * refreshes every member's view of who subscribes to the {@code published} addresses (read on the event loop).
   */
  static MergeGate watch(Vertx vertx, HazelcastInstance hazelcast, Supplier<List<String>> published) {
    MergeGate gate = new MergeGate(vertx, published);
    vertx.eventBus().addOutboundInterceptor(gate);
    gate.listener = hazelcast.getLifecycleService().addLifecycleListener(gate);
    return gate;
  }

  void close(HazelcastInstance hazelcast) {
    vertx.eventBus().removeOutboundInterceptor(this);
    if (listener != null) {
      hazelcast.getLifecycleService().removeLifecycleListener(listener);
    }
    synchronized (this) {
      merging = false;
    }
    drain();
  }

  /** Every message this member sends: a publish waits while the gate is shut, or while held ones are still going. */
  @Override
  public void handle(DeliveryContext<Object> message) {
    if (!holding || message.send()) {
      message.next();
      return;
    }
    boolean overflow = false;
    synchronized (this) {
      if (holding) {
        held.add(message);
        heldThisRound++;
        if (merging && held.size() >= LIMIT) {
          merging = false;
          overflow = true;
        } else {
          return;
        }
      }
    }
    if (overflow) {
      LOG.warning("merge under way: " + LIMIT + " publishes held, the most this member holds; sending them now (later"
          + " ones may miss the other members until the merge ends)");
      drain();
    } else {
      message.next();
    }
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    // the gate stays shut from MERGING until the refresh after MERGED is done, not only until MERGED: a publish
    // asked for 50 ms after MERGED, before the refresh, went unwaited and reached nobody else (CI, FleetCutIT)
    long round;
    synchronized (this) { // Hazelcast's event thread, rarely: a merge
      switch (event.getState()) {
        case MERGING -> {
          merging = true;
          holding = true;
          round = ++rounds;
          heldThisRound = 0;
        }
        case MERGED, MERGE_FAILED -> round = rounds;
        default -> {
          return;
        }
      }
    }
    switch (event.getState()) {
      case MERGING -> {
        LOG.info("merge under way: holding this member's publishes until the other members' views are refreshed");
        vertx.setTimer(MAX_HOLD_MS, id -> open(round, "the merge did not end within " + MAX_HOLD_MS + " ms"));
      }
      case MERGED -> vertx.setTimer(SETTLE_MS, id -> SubscriberViews.refresh(vertx, published.get())
          .onComplete(x -> open(round, "merged, subscribers refreshed")));
      default -> vertx.setTimer(SETTLE_MS, id -> open(round, "merge failed"));
    }
  }

  /** Opens the gate after merge {@code round}, unless another merge began since or it opened already. */
  private void open(long round, String why) {
    int count;
    synchronized (this) {
      if (round != rounds || !merging) {
        return;
      }
      merging = false;
      count = heldThisRound;
    }
    LOG.info("merge ended (" + why + "): sending the " + count + " publishes held");
    drain();
  }

  /** Sends the held publishes in order, a batch at a time; later ones queue behind until none is left. */
  private void drain() {
    synchronized (this) {
      if (draining) {
        return; // the thread draining sends what was added too
      }
      draining = true;
    }
    while (true) {
      List<DeliveryContext<Object>> batch;
      synchronized (this) {
        if (merging || held.isEmpty()) {
          // a new merge began: the rest waits for its end; or all went and the gate is open
          holding = merging;
          draining = false;
          return;
        }
        batch = new ArrayList<>(held);
        held.clear();
      }
      batch.forEach(DeliveryContext::next);
    }
  }
}

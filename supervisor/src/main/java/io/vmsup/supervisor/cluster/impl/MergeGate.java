package io.vmsup.supervisor.cluster.impl;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Whether this member is in the middle of a split-brain merge. While Hazelcast merges a member back (from MERGING to
 * MERGED), the member already sees the others, but the clustered event bus still sends a publish only to the
 * subscribers it knew during the split (vertx-hazelcast refreshes its view at MERGED): an event published then reaches
 * this member's own subscribers and nobody else's. Seen in CI: a healed member's {@code fenced} event, published
 * 0.8 s before MERGED, never reached the other members. A publish that must reach the fleet waits for {@link #settled}.
 * Not always enough: in another run the event published 0.6 s after MERGED was missed as well: the merge brings the
 * other side's registrations without the map events that update the bus's view. So after MERGED the addresses this
 * member publishes to are touched ({@link SubscriberViews}) before the waiting publishers go on.
 */
final class MergeGate implements LifecycleListener {

  /** After MERGED, how long the bus's own listener is given to drop its split-time view before a publish. */
  static final long SETTLE_MS = 500;

  private final Vertx vertx;
  private final java.util.function.Supplier<List<String>> published;
  private final List<Promise<Void>> waiting = new ArrayList<>(); // guarded by this
  private boolean merging; // guarded by this: from MERGING until the refresh after MERGED is done
  private long rounds; // guarded by this: MERGINGs seen
  private UUID listener;

  private MergeGate(Vertx vertx, java.util.function.Supplier<List<String>> published) {
    this.vertx = vertx;
    this.published = published;
  }

  /**
   * Follows the lifecycle of {@code hazelcast} from now on; after a merge, refreshes every member's view of who
   * subscribes to the {@code published} addresses (read on the event loop).
   */
  static MergeGate watch(Vertx vertx, HazelcastInstance hazelcast,
      java.util.function.Supplier<List<String>> published) {
    MergeGate gate = new MergeGate(vertx, published);
    gate.listener = hazelcast.getLifecycleService().addLifecycleListener(gate);
    return gate;
  }

  void close(HazelcastInstance hazelcast) {
    if (listener != null) {
      hazelcast.getLifecycleService().removeLifecycleListener(listener);
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
          rounds++;
          return;
        }
        case MERGED, MERGE_FAILED -> round = rounds;
        default -> {
          return;
        }
      }
    }
    if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
      vertx.setTimer(SETTLE_MS, id -> SubscriberViews.refresh(vertx, published.get())
          .onComplete(x -> open(round)));
    } else {
      vertx.setTimer(SETTLE_MS, id -> open(round));
    }
  }

  /** Opens the gate after merge {@code round}, unless another merge began since. */
  private void open(long round) {
    List<Promise<Void>> ready;
    synchronized (this) {
      if (round != rounds) {
        return;
      }
      merging = false;
      ready = new ArrayList<>(waiting);
      waiting.clear();
    }
    ready.forEach(Promise::tryComplete);
  }

  /** Completes at once when no merge is under way, else once it ended and the subscribers' views were refreshed. */
  Future<Void> settled() {
    Promise<Void> p = Promise.promise();
    synchronized (this) {
      if (merging) {
        waiting.add(p);
        return p.future();
      }
    }
    p.complete();
    return p.future();
  }
}

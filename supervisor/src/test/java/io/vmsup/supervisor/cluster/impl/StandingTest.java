package io.vmsup.supervisor.cluster.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vmsup.qmp.testing.Await;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whether a member stands, below Hazelcast: the host table is a real Vert.x async map, the cluster's member list a
 * list the test sets. A read of the table that misses a host (a split, a merge, a migration) never makes a minority
 * look like a majority, and a member that merged back after a split counts the others again.
 */
class StandingTest {

  private Vertx vertx;
  private AsyncMap<String, String> table;
  private final List<String> live = new CopyOnWriteArrayList<>();
  private Standing standing;
  /** Every step runs on this one context, as the member's own ticks do: nothing interleaves within a step. */
  private io.vertx.core.Context context;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    table = Await.result(vertx.sharedData().<String, String>getLocalAsyncMap("hosts"));
    ClusterManager manager = (ClusterManager) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ClusterManager.class}, (proxy, method, args) -> {
          if (method.getName().equals("getNodes")) {
            return List.copyOf(live);
          }
          throw new UnsupportedOperationException(method.getName());
        });
    HostTable hosts = new HostTable(vertx, manager, table);
    standing = new Standing(vertx, manager, hosts, Duration.ofSeconds(1));
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  private void put(String host, String node) {
    Await.result(table.put(host, new HostRecord(host, node, "2026-12-06T00:00:00Z", "b", "m", java.util.Map.of(),
        false).encode()));
  }

  private void remove(String host) {
    Await.result(table.remove(host));
  }

  /** Runs {@code refresh} on the context, then {@code after} in the same task once the read was applied. */
  private void refresh(Runnable after) {
    refresh(() -> { }, after);
  }

  /** {@code before}, {@code refresh} and {@code after} in one task on the context (no tick between them). */
  private void refresh(Runnable before, Runnable after) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      before.run();
      standing.refresh();
      // the read is one async map call: a second one queued behind it completes after it
      table.size().onComplete(x -> {
        try {
          after.run();
          done.complete();
        } catch (Throwable t) {
          done.fail(t);
        }
      });
    });
    Await.result(done.future());
  }

  private void refresh() {
    refresh(() -> { });
  }

  /** The majority alone: a stall of this loaded machine's event loop (the other half of standing) is not tested here. */
  private boolean stands() {
    Promise<Boolean> p = Promise.promise();
    context.runOnContext(v -> p.complete(standing.majority()));
    return Await.result(p.future());
  }

  private void start(String me, String node) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      standing.start(me, node);
      p.complete();
    });
    Await.result(p.future());
  }

  @Test
  void aReadMissingAHostDoesNotMakeAMinorityAMajority() {
    put("a", "A");
    put("b", "B");
    put("c", "C");
    live.addAll(List.of("A", "B", "C"));
    start("a", "A");
    refresh();
    assertThat(standing.known()).isEqualTo(3);
    assertThat(stands()).isTrue();

    // a read during a migration misses b and c; then b and c are lost: a alone must not stand
    refresh(() -> {
      table.remove("b");
      table.remove("c");
    }, () -> live.removeAll(List.of("B", "C")));
    refresh();
    assertThat(standing.known()).isEqualTo(3);
    assertThat(stands()).isFalse();
  }

  @Test
  void aHostThatGaveItsRecordBackIsForgottenAfterTwoReads() {
    put("a", "A");
    put("b", "B");
    put("c", "C");
    live.addAll(List.of("A", "B", "C"));
    start("a", "A");
    refresh();
    refresh(() -> {
      table.remove("c");
      live.remove("C");
    }, () -> assertThat(standing.known()).as("one read is not enough").isEqualTo(3));
    refresh();
    assertThat(standing.known()).isEqualTo(2);
    assertThat(stands()).isTrue();
  }

  @Test
  void membersThatMergedBackAfterASplitAreCountedAgain() {
    put("a", "A");
    put("b", "B");
    put("c", "C");
    live.addAll(List.of("A", "B", "C"));
    start("a", "A");
    refresh();
    // split: a alone, and its copy of the table lacks c (c's partitions were elsewhere)
    live.removeAll(List.of("B", "C"));
    remove("c");
    refresh();
    assertThat(stands()).isFalse();
    // merged back: c is a member again under a new node, its record arrives with the merge
    put("c", "C2");
    live.add("C2");
    refresh();
    assertThat(stands()).as("a and c of a, b, c").isTrue();
    assertThat(standing.known()).isEqualTo(3);
  }

  @Test
  void aMemberNeverForgetsItself() {
    put("a", "A");
    put("b", "B");
    live.addAll(List.of("A", "B"));
    start("a", "A");
    refresh();
    remove("a");
    refresh();
    refresh();
    refresh();
    assertThat(standing.known()).isEqualTo(2);
    assertThat(stands()).isTrue();
  }

  @Test
  void aBusyEventLoopIsNotAStall() {
    put("a", "A");
    put("b", "B");
    put("c", "C");
    live.addAll(List.of("A", "B", "C"));
    start("a", "A");
    refresh();
    // the member's event loop busy for 2.5 s (classes loading at load 60), its JVM running: standing unchanged
    Promise<Boolean> after = Promise.promise();
    context.runOnContext(v -> {
      long until = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2_500);
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      // two ticks later the late tick has been judged
      vertx.setTimer(2 * 250 + 100, id -> after.complete(standing.getAsBoolean()));
    });
    assertThat(Await.result(after.future())).as("stands after its loop was busy").isTrue();
  }

  @Test
  void aFrozenJvmIsAStallAndHoldsTheMemberOutForTheHold() {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
    long second = 1_000_000_000L;
    StallWatch watch = new StallWatch(now::get, 2 * second, 3 * second);
    now.addAndGet(second / 4);
    watch.beat();
    assertThat(watch.clear()).isTrue();
    now.addAndGet(2 * second + second / 2); // frozen: no beat for 2.5 s
    assertThat(watch.clear()).as("a stall not yet seen by a beat").isFalse();
    watch.beat();
    assertThat(watch.stalls()).isEqualTo(1);
    assertThat(watch.clear()).as("held after the stall").isFalse();
    for (int i = 0; i < 11; i++) {
      now.addAndGet(second / 4);
      watch.beat();
    }
    assertThat(watch.clear()).as("2.75 s into the 3 s hold").isFalse();
    now.addAndGet(second / 4);
    watch.beat();
    assertThat(watch.clear()).as("the hold is over").isTrue();
    assertThat(watch.stalls()).isEqualTo(1);
  }

  @Test
  void aGapTheOthersCannotHaveSeenAsALossIsNoStall() {
    assertThat(Standing.stallLimit(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(3_500));
    assertThat(Standing.stallLimit(Duration.ofSeconds(4))).isEqualTo(Duration.ofMillis(2_500));
    assertThat(Standing.stallLimit(Duration.ofSeconds(1))).as("never under 2 s").isEqualTo(Duration.ofSeconds(2));
  }
}

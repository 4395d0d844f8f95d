package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vmsup.qmp.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's worker pool still runs a burst on as many threads as it has (Vert.x's size), and the threads a burst
 * started end once idle (IdlePools) instead of staying for the daemon's life, as Vert.x's fixed pools keep them;
 * {@code workerPoolSize} bounds the tasks at once.
 */
class DaemonPoolsIT {

  private static final int BURST = 12;

  @TempDir
  Path dir;

  @Test
  void aBurstGetsItsThreadsAndIdleThreadsEnd() throws Exception {
    try (DaemonFixture d = DaemonFixture.start(dir.resolve("state"))) {
      Set<Thread> used = ConcurrentHashMap.newKeySet();
      // every task waits until all BURST run at the same time: the pool's concurrency is not cut
      CyclicBarrier together = new CyclicBarrier(BURST);
      List<Future<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        tasks.add(d.daemon.vertx().executeBlocking(() -> {
          used.add(Thread.currentThread());
          together.await(30, TimeUnit.SECONDS);
          return true;
        }, false));
      }
      for (Future<Boolean> t : tasks) {
        assertThat(Await.result(t)).isTrue();
      }
      assertThat(used).hasSize(BURST);
      Await.until("the burst's idle worker threads end", () -> used.stream().filter(Thread::isAlive).count() <= 2,
          Duration.ofSeconds(60));
      // and the pool still serves after its threads ended
      assertThat(Await.result(d.daemon.vertx().executeBlocking(() -> Thread.currentThread().getName())))
          .startsWith("vert.x-worker-thread-");
    }
  }

  @Test
  void theWorkerPoolSizeBoundsTheTasksAtOnce() throws Exception {
    DaemonConfig config = DaemonFixture.config(dir.resolve("small")).toBuilder()
        .pools(new PoolSettings(2, 3, 2)).build();
    try (DaemonFixture d = DaemonFixture.start(config)) {
      java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
      List<Future<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        tasks.add(d.daemon.vertx().executeBlocking(() -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          three.countDown();
          // the first three hold their threads until all three run; the others wait in the queue meanwhile
          boolean all = three.await(30, TimeUnit.SECONDS);
          running.decrementAndGet();
          return all;
        }, false));
      }
      for (Future<Boolean> t : tasks) {
        assertThat(Await.result(t)).isTrue();
      }
      assertThat(most.get()).isEqualTo(3);
    }
  }
}

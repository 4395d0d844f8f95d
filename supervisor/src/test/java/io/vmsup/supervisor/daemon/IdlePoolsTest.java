package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmsup.qmp.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon's pools: a task goes to a thread that waits for work (periodic work at rest keeps one thread, it does
 * not start a thread per task), a burst still gets the pool's size, tasks beyond it wait in line, idle threads end.
 */
class IdlePoolsTest {

  private final AtomicInteger started = new AtomicInteger();
  private final List<ThreadPoolExecutor> pools = new ArrayList<>();

  private ThreadPoolExecutor pool(int size, Duration keepAlive) {
    ThreadPoolExecutor p = IdlePools.create(size, keepAlive, r -> {
      started.incrementAndGet();
      Thread t = new Thread(r, "idle-pools-test-" + started.get());
      t.setDaemon(true);
      return t;
    });
    pools.add(p);
    return p;
  }

  @AfterEach
  void shutdown() {
    pools.forEach(ThreadPoolExecutor::shutdownNow);
  }

  @Test
  void tasksOneAfterAnotherReuseTheWaitingThread() throws Exception {
    ThreadPoolExecutor p = pool(20, Duration.ofMinutes(1));
    HandOffQueue queue = (HandOffQueue) p.getQueue();
    Set<Thread> used = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 50; i++) {
      p.submit(() -> used.add(Thread.currentThread())).get(30, TimeUnit.SECONDS);
      // the thread is back waiting for work before the next task comes, as between two periodic tasks
      Await.until("the thread waits for work", queue::hasWaitingConsumer, Duration.ofSeconds(30));
    }
    assertThat(used).hasSize(1);
    assertThat(started.get()).isEqualTo(1);
  }

  @Test
  void aBurstGetsThePoolsSizeAndTheRestWaitsInLine() throws Exception {
    ThreadPoolExecutor p = pool(4, Duration.ofMinutes(1));
    CountDownLatch four = new CountDownLatch(4);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Future<?>> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tasks.add(p.submit(() -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        four.countDown();
        release.await(30, TimeUnit.SECONDS);
        running.decrementAndGet();
        return null;
      }));
    }
    assertThat(four.await(30, TimeUnit.SECONDS)).as("four tasks run at once").isTrue();
    assertThat(p.getQueue()).hasSize(6);
    release.countDown();
    for (Future<?> t : tasks) {
      t.get(30, TimeUnit.SECONDS);
    }
    assertThat(most.get()).isEqualTo(4);
    assertThat(started.get()).isEqualTo(4);
  }

  @Test
  void idleThreadsEndAndThePoolStillServes() throws Exception {
    ThreadPoolExecutor p = pool(3, Duration.ofMillis(50));
    CountDownLatch three = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      p.execute(() -> {
        three.countDown();
        try {
          three.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    assertThat(three.await(30, TimeUnit.SECONDS)).isTrue();
    Await.until("the idle threads end", () -> p.getPoolSize() == 0, Duration.ofSeconds(30));
    assertThat(p.submit(() -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS))
        .startsWith("idle-pools-test-");
  }

  @Test
  void manySubmittersAtOnceLoseNoTask() throws Exception {
    // a short keep-alive makes threads end while others submit: every task still runs
    ThreadPoolExecutor p = pool(2, Duration.ofMillis(1));
    AtomicInteger ran = new AtomicInteger();
    List<Thread> submitters = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      Thread t = new Thread(() -> {
        for (int i = 0; i < 2_000; i++) {
          p.execute(ran::incrementAndGet);
          if (i % 50 == 0) {
            Thread.yield();
          }
        }
      });
      t.start();
      submitters.add(t);
    }
    for (Thread t : submitters) {
      t.join();
    }
    Await.until("every task ran", () -> ran.get() == 8_000, Duration.ofSeconds(60));
    assertThat(p.getLargestPoolSize()).isLessThanOrEqualTo(2);
  }

  @Test
  void aShutDownPoolRefuses() {
    ThreadPoolExecutor p = pool(2, Duration.ofSeconds(1));
    p.shutdown();
    assertThatThrownBy(() -> p.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }
}

package io.vmsup.supervisor.daemon;

import io.vertx.core.spi.ExecutorServiceFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's Vert.x pools (the worker pool, the internal blocking pool and every named worker executor) with
 * Vert.x's sizes, but threads that end after {@link #KEEP_ALIVE} without a task. Vert.x's own pools are fixed: a pool
 * of 20 starts a new thread for each of its first 20 tasks, whether the others are busy or not, and keeps them all
 * for the daemon's life (40 threads after the first minutes, most of them idle, ~110 KiB of touched stack each). Here
 * a task goes to a thread that waits for work when there is one, a new thread starts only when every thread is busy
 * (a burst, 200 starts at once writing their records, still gets every thread up to the pool's size), tasks beyond
 * the size wait in line as before, and a daemon at rest keeps about as many threads as its periodic work needs.
 * (A plain {@link ThreadPoolExecutor} whose core threads time out starts a thread for every task while it holds
 * fewer than its size: at rest with 10,000 VMs that was five threads started and ended a second, each carrying its
 * one task's CPU time out of the per-thread figures.)
 */
final class IdlePools implements ExecutorServiceFactory {

  /**
   * Idle time after which a pool thread ends. Short, because an idle thread waits in line: a pool hands each task to
   * the thread that has waited longest, so with periodic work (the metrics sampler's task every half second) a pool
   * keeps about (tasks per second x this) threads.
   */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(2);

  @Override
  public ExecutorService createExecutor(ThreadFactory threadFactory, Integer concurrency, Integer maxConcurrency) {
    return create(maxConcurrency, KEEP_ALIVE, threadFactory);
  }

  /** A pool of at most {@code size} threads, each ending after {@code keepAlive} without a task. */
  static ThreadPoolExecutor create(int size, Duration keepAlive, ThreadFactory threadFactory) {
    HandOffQueue queue = new HandOffQueue();
    // no core threads: ThreadPoolExecutor starts a thread below its core size even when others wait for work; with
    // none it offers the task to the queue first, which hands it to a waiting thread or declines while the pool may
    // grow (then the pool starts a thread)
    ThreadPoolExecutor pool = new ThreadPoolExecutor(0, size, keepAlive.toMillis(), TimeUnit.MILLISECONDS, queue,
        threadFactory, (task, executor) -> {
          if (executor.isShutdown()) {
            throw new java.util.concurrent.RejectedExecutionException("the pool is shut down");
          }
          // the pool reached its size between the queue's look and the start of a thread: the task waits in line
          queue.enqueue(task);
          if (executor.getPoolSize() == 0) {
            // every thread ended meanwhile (each had waited keepAlive for work, and the last one saw an empty
            // queue): one more takes the task
            executor.execute(() -> { });
          }
        });
    queue.pool = pool;
    return pool;
  }
}

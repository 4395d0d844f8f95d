package io.vmsup.supervisor.daemon;

import io.vertx.core.spi.ExecutorServiceFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's Vert.x pools (the worker pool, the internal blocking pool and every named worker executor) with
 * Vert.x's sizes, but threads that end after {@link #KEEP_ALIVE} without a task. Vert.x's own pools are fixed: a pool
 * of 20 starts a new thread for each of its first 20 tasks, whether the others are busy or not, and keeps them all
 * for the daemon's life (40 threads after the first minutes, most of them idle, ~110 KiB of touched stack each). Here
 * a burst (200 starts at once, their record writes on the worker pool) still gets every thread up to the pool's size,
 * queued tasks wait as before, and a daemon at rest keeps about as many threads as its periodic work needs.
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
    int size = maxConcurrency;
    ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), threadFactory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}

package io.vmsup.supervisor.daemon;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The task queue of an {@link IdlePools} pool: a task goes straight to a thread that waits for one; while the pool
 * may still grow and none waits, the queue declines it (so the pool starts a thread); once every thread exists and
 * is busy, the task waits in line.
 */
final class HandOffQueue extends LinkedTransferQueue<Runnable> {

  private static final long serialVersionUID = 1L;

  transient ThreadPoolExecutor pool;

  @Override
  public boolean offer(Runnable task) {
    if (tryTransfer(task)) {
      return true;
    }
    if (pool != null && pool.getPoolSize() < pool.getMaximumPoolSize()) {
      return false;
    }
    return super.offer(task);
  }

  /** Puts the task in line whatever the pool's size. */
  void enqueue(Runnable task) {
    super.offer(task);
  }
}

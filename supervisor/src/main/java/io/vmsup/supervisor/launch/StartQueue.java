package io.vmsup.supervisor.launch;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the starts of one supervisor: at most {@code limit} hold a turn at once, the others wait in arrival order.
 * Each VM asks from its own context; a turn is handed over on the waiter's context. Thread-safe (a lock held for a
 * few instructions, at a start's begin and end only).
 */
public final class StartQueue {

  /** A queued start was cancelled (a stop, kill or delete of its VM) before its turn came. */
  public static final class Cancelled extends VertxException {
    public Cancelled(String message) {
      super(message, true);
    }
  }

  /** {@link #turnAt}'s answer while the start still waits. */
  public static final long WAITING = Long.MAX_VALUE;
  private static final long NO_TURN = Long.MIN_VALUE;

  private final int limit;
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<Ticket> waiting = new ArrayDeque<>();
  /** Each key's latest ticket (a key is a VM: its starts never overlap), for {@link #turnAt}. */
  private final Map<String, Ticket> latest = new HashMap<>();
  private int running;

  public StartQueue(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }

  /** Starts holding a turn now. */
  public int running() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks for a turn for {@code key} (a VM's name); {@link Ticket#turn()} completes on {@code context} when it is this
   * start's.
   */
  public Ticket enter(String key, Context context) {
    Ticket t = new Ticket(this, key, context);
    lock.lock();
    try {
      latest.put(key, t);
      if (running < limit) {
        running++;
        t.state = Ticket.HOLDING;
        t.turnAt = t.asked;
      } else {
        t.ahead = waiting.size();
        t.queued = true;
        waiting.addLast(t);
      }
    } finally {
      lock.unlock();
    }
    if (t.state == Ticket.HOLDING) {
      t.promise.complete();
    }
    return t;
  }

  private void leave(Ticket t) {
    Ticket next = null;
    lock.lock();
    try {
      if (t.state == Ticket.WAITING) {
        waiting.remove(t);
      } else if (t.state == Ticket.HOLDING) {
        next = waiting.pollFirst();
        if (next == null) {
          running--;
        } else {
          next.state = Ticket.HOLDING; // the turn passes on: running stays
          next.turnAt = System.nanoTime();
        }
      }
      t.state = Ticket.DONE;
    } finally {
      lock.unlock();
    }
    if (next != null) {
      Ticket handed = next;
      handed.context.runOnContext(v -> handed.promise.tryComplete());
    }
  }

  /**
   * When the start of {@code key} that asked at or after {@code since} (a {@link System#nanoTime()}) got its turn:
   * {@link #WAITING} while it still waits, {@code since} when no start of {@code key} asked since then or it was
   * cancelled before its turn. Lets a caller's limit count from the turn: the queue's wait is not the start's slowness.
   */
  public long turnAt(String key, long since) {
    lock.lock();
    try {
      Ticket t = latest.get(key);
      if (t == null || t.asked - since < 0) {
        return since;
      }
      if (t.state == Ticket.WAITING) {
        return WAITING;
      }
      return t.turnAt == NO_TURN ? since : t.turnAt;
    } finally {
      lock.unlock();
    }
  }

  /** One start's place: waiting, then holding a turn, then done. */
  public static final class Ticket {
    static final int WAITING = 0;
    static final int HOLDING = 1;
    static final int DONE = 2;

    private final StartQueue queue;
    private final String key;
    private final Context context;
    private final Promise<Void> promise = Promise.promise();
    private int state = WAITING; // guarded by the queue's lock
    private int ahead;
    private boolean queued;
    private final long asked = System.nanoTime();
    private long turnAt = NO_TURN; // guarded by the queue's lock

    private Ticket(StartQueue queue, String key, Context context) {
      this.queue = queue;
      this.key = key;
      this.context = context;
    }

    /** Completes (on the start's context) when the start may go on; fails with {@link Cancelled} if cancelled. */
    public Future<Void> turn() {
      return promise.future();
    }

    /** Whether the start had to wait when it asked (then {@link #ahead()} says behind how many). */
    public boolean queued() {
      return queued;
    }

    /** Starts that waited before this one when it asked. */
    public int ahead() {
      return ahead;
    }

    /**
     * Cancels a start still waiting: its {@link #turn()} fails with {@link Cancelled} and it holds nothing. Returns
     * false when the turn came already (the start is under way: stop it as a started VM).
     */
    public boolean cancel(String why) {
      queue.lock.lock();
      try {
        if (state != WAITING) {
          return false;
        }
        queue.waiting.remove(this);
        state = DONE;
      } finally {
        queue.lock.unlock();
      }
      promise.tryFail(new Cancelled(why));
      return true;
    }

    /** Forgets this start's key unless a later start of it asked since (its VM is gone). */
    public void forget() {
      queue.lock.lock();
      try {
        queue.latest.remove(key, this);
      } finally {
        queue.lock.unlock();
      }
    }

    /** Gives the turn back (or leaves the queue); once. */
    public void release() {
      queue.leave(this);
    }
  }
}

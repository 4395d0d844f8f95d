package io.vmsup.qmp.impl;

import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpClosedException;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpErrorException;
import io.vmsup.qmp.QmpObserver;
import io.vmsup.qmp.QmpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ids and the pending map of one connection: numeric ids, short and reused ({@link IdPool}), a deadline per command swept by the connection's one
 * {@link DeadlineTimer} (the first of reply and deadline wins; due commands fail in deadline order), late replies for
 * abandoned ids dropped quietly. Runs on the connection's context.
 */
final class Correlator {

  private static final Logger log = LoggerFactory.getLogger(Correlator.class);

  // nanoTime values compare by their difference; equal deadlines keep the send order
  private static final Comparator<Pending<?>> BY_DEADLINE = (a, b) -> {
    long d = a.deadline - b.deadline;
    return d != 0 ? Long.signum(d) : Long.compare(a.id, b.id);
  };

  private final QmpObserver observer;
  private final DeadlineTimer timer;
  private final Map<Long, Pending<?>> pending = new HashMap<>();
  private final LateIds timedOut = new LateIds(4096);
  private final IdPool idPool = new IdPool();
  private long lastId;
  private long quitId = -1;
  private long lateReplies;
  private long unknownReplies;

  Correlator(ContextInternal ctx, QmpObserver observer) {
    this.observer = observer;
    this.timer = new DeadlineTimer(ctx, this::sweep);
  }

  /** Gives {@code command} a free id and a deadline {@code timeout} from now; returns the id to send. */
  <T> long register(QmpCommand<T> command, PromiseInternal<T> promise, Duration timeout) {
    long id = idPool.take();
    lastId = id;
    Pending<T> p = new Pending<>(id, command, promise, timeout);
    pending.put(id, p);
    timer.fireBy(p.deadline);
    if (command.name().equals("quit")) {
      quitId = id;
    }
    return id;
  }

  /** The timer fired: fails every command whose deadline has passed, earliest first, then re-arms. */
  private void sweep(long now) {
    List<Pending<?>> due = new ArrayList<>();
    for (Pending<?> p : pending.values()) {
      if (p.deadline - now <= 0) {
        due.add(p);
      }
    }
    due.sort(BY_DEADLINE);
    for (Pending<?> p : due) {
      // a failure's callback may have closed the connection (every command failed) or answered others
      if (pending.remove(p.id) != null) {
        timedOut.add(p.id);
        p.fail(new QmpTimeoutException(p.command.name(), p.timeout), "timeout", observer);
      }
    }
    long next = 0;
    boolean any = false;
    for (Pending<?> p : pending.values()) {
      if (!any || p.deadline - next < 0) {
        next = p.deadline;
        any = true;
      }
    }
    if (any) {
      timer.fireBy(next);
    }
  }

  /** The reply with {@code id}: a value, or the server's {@code error}. */
  void reply(long id, Object value, QmpErrorException error) {
    Pending<?> p = pending.remove(id);
    if (p == null) {
      if (timedOut.remove(id)) {
        lateReplies++;
        idPool.release(id);
      } else {
        unknownReplies++;
      }
      log.debug("QMP: dropped a reply to id " + id + " (timed out or unknown)");
      return;
    }
    idPool.release(id);
    if (error != null) {
      p.fail(error, "error", observer);
    } else {
      p.complete(value, observer);
    }
  }

  /** True once a {@code quit} was sent on this connection. */
  boolean quitSent() {
    return quitId >= 0;
  }

  // qmp-spec: quit races its reply against EOF; EOF after quit is success
  /** The peer closed: a pending {@code quit} succeeded. */
  void peerClosed() {
    Pending<?> quit = pending.remove(quitId);
    if (quit != null) {
      quit.complete(new JsonObject(), observer);
    }
  }

  /** Fails every pending command with {@code ex}. */
  void failAll(QmpClosedException ex) {
    List<Pending<?>> all = new ArrayList<>(pending.values());
    pending.clear();
    timer.cancel();
    for (Pending<?> p : all) {
      p.fail(ex, "closed", observer);
    }
  }

  /** Deadline timers set so far. */
  long timersSet() {
    return timer.timersSet();
  }

  /** The id of the command registered last. */
  long lastId() {
    return lastId;
  }

  long lateReplies() {
    return lateReplies;
  }

  long unknownReplies() {
    return unknownReplies;
  }
}

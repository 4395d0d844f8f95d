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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ids and the pending map of one connection: numeric ids, a per-command timer (the first of reply and timer wins),
 * late replies for abandoned ids dropped quietly. Runs on the connection's context.
 */
final class Correlator {

  private static final Logger log = LoggerFactory.getLogger(Correlator.class);

  private final ContextInternal ctx;
  private final QmpObserver observer;
  private final Map<Long, Pending<?>> pending = new HashMap<>();
  private final LateIds timedOut = new LateIds(4096);
  private long nextId = 1;
  private long quitId = -1;
  private long lateReplies;
  private long unknownReplies;

  Correlator(ContextInternal ctx, QmpObserver observer) {
    this.ctx = ctx;
    this.observer = observer;
  }

  /** Gives {@code command} the next id and starts its timer; returns the wire envelope to write. */
  <T> JsonObject register(QmpCommand<T> command, PromiseInternal<T> promise, Duration timeout) {
    long id = nextId++;
    JsonObject envelope = new JsonObject().put(command.oob() ? "exec-oob" : "execute", command.name());
    if (command.arguments() != null) {
      envelope.put("arguments", command.arguments());
    }
    envelope.put("id", id);
    Pending<T> p = new Pending<>(id, command, promise);
    p.timer = ctx.setTimer(Math.max(1, timeout.toMillis()), t -> onTimeout(id, timeout));
    pending.put(id, p);
    if (command.name().equals("quit")) {
      quitId = id;
    }
    return envelope;
  }

  private void onTimeout(long id, Duration timeout) {
    Pending<?> p = pending.remove(id);
    if (p != null) {
      timedOut.add(id);
      p.fail(new QmpTimeoutException(p.command.name(), timeout), "timeout", observer);
    }
  }

  /** The reply with {@code id}: a value, or the server's {@code error}. */
  void reply(long id, Object value, QmpErrorException error) {
    Pending<?> p = pending.remove(id);
    if (p == null) {
      if (timedOut.remove(id)) {
        lateReplies++;
      } else {
        unknownReplies++;
      }
      log.debug("QMP: dropped a reply to id " + id + " (timed out or unknown)");
      return;
    }
    ctx.owner().cancelTimer(p.timer);
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
      ctx.owner().cancelTimer(quit.timer);
      quit.complete(new JsonObject(), observer);
    }
  }

  /** Fails every pending command with {@code ex}. */
  void failAll(QmpClosedException ex) {
    List<Pending<?>> all = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending<?> p : all) {
      ctx.owner().cancelTimer(p.timer);
      p.fail(ex, "closed", observer);
    }
  }

  long lastId() {
    return nextId - 1;
  }

  long lateReplies() {
    return lateReplies;
  }

  long unknownReplies() {
    return unknownReplies;
  }
}

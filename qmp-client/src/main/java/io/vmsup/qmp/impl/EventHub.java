package io.vmsup.qmp.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vmsup.qmp.QmpClosedException;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpObserver;
import io.vmsup.qmp.QmpSubscription;
import io.vmsup.qmp.QmpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Fans events out to subscribers and one-shot waiters. Lives on the connection's context. Subscribers on that
 * context are called inline, in wire order. Subscribers on another context get their events through it with at
 * most {@code bufferSize} in flight; beyond that events are dropped for that subscriber, so a slow consumer never
 * stalls the socket.
 */
final class EventHub {

  private static final Logger log = LoggerFactory.getLogger(EventHub.class);

  private final ContextInternal ctx;
  private final int bufferSize;
  private final QmpObserver observer;
  private final List<Sub> subs = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private QmpClosedException closed;

  EventHub(ContextInternal ctx, int bufferSize, QmpObserver observer) {
    this.ctx = ctx;
    this.bufferSize = bufferSize;
    this.observer = observer;
  }

  /** Creates a subscription; {@link #add} activates it (on the connection's context). */
  QmpSubscription create(String name, ContextInternal target, Handler<QmpEvent> handler) {
    return new Sub(name, target, handler);
  }

  void add(QmpSubscription subscription) {
    Sub sub = (Sub) subscription;
    if (closed == null && sub.active) {
      subs.add(sub);
    }
  }

  Future<QmpEvent> await(String name, Predicate<QmpEvent> predicate, Duration timeout) {
    PromiseInternal<QmpEvent> promise = ctx.promise();
    if (closed != null) {
      promise.fail(closed);
      return promise.future();
    }
    Waiter w = new Waiter(name, predicate == null ? e -> true : predicate, promise);
    w.timer = ctx.setTimer(Math.max(1, timeout.toMillis()), t -> {
      if (waiters.remove(w)) {
        promise.tryFail(new QmpTimeoutException("event " + name, timeout));
      }
    });
    waiters.add(w);
    return promise.future();
  }

  void dispatch(QmpEvent event) {
    observer.eventReceived(event.name());
    for (Sub sub : List.copyOf(subs)) {
      sub.offer(event);
    }
    for (int i = 0; i < waiters.size(); i++) {
      Waiter w = waiters.get(i);
      if (w.name.equals(event.name()) && w.accepts(event)) {
        waiters.remove(i--);
        ctx.owner().cancelTimer(w.timer);
        w.promise.tryComplete(event);
      }
    }
  }

  void close(QmpClosedException reason) {
    closed = reason;
    for (Waiter w : List.copyOf(waiters)) {
      ctx.owner().cancelTimer(w.timer);
      w.promise.tryFail(reason);
    }
    waiters.clear();
    subs.clear();
  }

  private static final class Waiter {
    final String name;
    final Predicate<QmpEvent> predicate;
    final PromiseInternal<QmpEvent> promise;
    long timer;

    Waiter(String name, Predicate<QmpEvent> predicate, PromiseInternal<QmpEvent> promise) {
      this.name = name;
      this.predicate = predicate;
      this.promise = promise;
    }

    boolean accepts(QmpEvent event) {
      try {
        return predicate.test(event);
      } catch (RuntimeException e) {
        promise.tryFail(e);
        return true;
      }
    }
  }

  private final class Sub implements QmpSubscription {
    final String name;
    final ContextInternal target;
    final Handler<QmpEvent> handler;
    // read from any thread by dropped(); everything else stays on the connection's context
    final AtomicLong dropped = new AtomicLong();
    int inFlight;
    boolean active = true;

    Sub(String name, ContextInternal target, Handler<QmpEvent> handler) {
      this.name = name;
      this.target = target;
      this.handler = handler;
    }

    void offer(QmpEvent event) {
      if (!active || (name != null && !name.equals(event.name()))) {
        return;
      }
      if (target == ctx) {
        // same context: inline, so handlers see events in wire order relative to replies
        deliver(event);
        return;
      }
      if (inFlight >= bufferSize) {
        dropped.incrementAndGet();
        observer.eventDropped(name == null ? "*" : name);
        return;
      }
      inFlight++;
      target.runOnContext(v -> {
        try {
          deliver(event);
        } finally {
          ctx.runOnContext(x -> inFlight--);
        }
      });
    }

    private void deliver(QmpEvent event) {
      if (!active) {
        return;
      }
      try {
        handler.handle(event);
      } catch (RuntimeException e) {
        log.warn("QMP event handler failed on " + event.name(), e);
      }
    }

    @Override
    public String eventName() {
      return name;
    }

    @Override
    public long dropped() {
      return dropped.get();
    }

    @Override
    public void unsubscribe() {
      if (ctx.isRunningOnContext()) {
        active = false;
        subs.remove(this);
      } else {
        ctx.runOnContext(v -> unsubscribe());
      }
    }
  }
}

package io.vmsup.supervisor.link;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vmsup.qmp.QmpPeerCheck;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Connects to a QEMU's QMP socket, retrying while QEMU is not listening yet. A start passes a {@code wake} signal (the
 * {@link SocketWatch} seeing the socket created, or the process's exit): until it fires, the first attempt and any
 * retry wait a long fallback delay ({@value #FALLBACK_MS} ms, in case the watch cannot tell), and when it fires the
 * next attempt runs at once.
 * After the wake (and for a re-attach, which has no wake) retries wait 1, 2, 3 … 10 ms: QEMU binds its socket a moment
 * before it listens, and a flood of attempts from 200 starts at once must not take the CPUs QEMU needs.
 */
public final class ConnectLoop {

  private static final long MAX_DELAY_MS = 10;
  static final long FALLBACK_MS = 250;

  private final Vertx vertx;
  private final QmpConnector connector;
  private final Path socket;
  private final String vm;
  private final QmpPeerCheck peer;
  private final BooleanSupplier alive;
  private final long deadlineNanos;
  private final Future<?> wake;
  private int attempt;
  private Runnable pending;
  private long timer = -1;

  private ConnectLoop(Vertx vertx, QmpConnector connector, Path socket, String vm, QmpPeerCheck peer,
      BooleanSupplier alive, long deadlineNanos, Future<?> wake) {
    this.vertx = vertx;
    this.connector = connector;
    this.socket = socket;
    this.vm = vm;
    this.peer = peer;
    this.alive = alive;
    this.deadlineNanos = deadlineNanos;
    this.wake = wake;
  }

  /**
   * Connects on the caller's context, retrying {@link QmpConnector.NotListening} while {@code alive} holds and the
   * deadline ({@link System#nanoTime()} based) has not passed; fails with the last failure otherwise. Each
   * connection must be served by {@code peer} ({@link QmpConnector.WrongPeer} ends the loop at once).
   */
  public static Future<QmpLink> connect(Vertx vertx, QmpConnector connector, Path socket, String vm,
      QmpPeerCheck peer, BooleanSupplier alive, long deadlineNanos) {
    return connect(vertx, connector, socket, vm, peer, alive, deadlineNanos, Future.succeededFuture());
  }

  /**
   * As {@link #connect(Vertx, QmpConnector, Path, String, QmpPeerCheck, BooleanSupplier, long)}, with retries before
   * {@code wake} completes (on the caller's context) waiting for it instead of guessing.
   */
  public static Future<QmpLink> connect(Vertx vertx, QmpConnector connector, Path socket, String vm,
      QmpPeerCheck peer, BooleanSupplier alive, long deadlineNanos, Future<?> wake) {
    ConnectLoop loop = new ConnectLoop(vertx, connector, socket, vm, peer, alive, deadlineNanos, wake);
    if (wake.isComplete()) {
      return loop.next();
    }
    wake.onComplete(x -> loop.woken());
    // Nothing to connect to before the wake (a freshly spawned QEMU creates its socket 10-40 ms after exec here, far
    // more in a burst): attempts before the wake failed 2.3-4.6 times per start in 200-VM bursts (burst6), each a
    // socket, an epoll registration and an exception on the event loop; so the first attempt waits for it too.
    Promise<QmpLink> first = Promise.promise();
    loop.pending = () -> loop.next().onComplete(first);
    loop.timer = vertx.setTimer(FALLBACK_MS, id -> loop.fire());
    return first.future();
  }

  private Future<QmpLink> next() {
    return connector.connect(socket, vm, peer).recover(t -> {
      if (!(t instanceof QmpConnector.NotListening) || !alive.getAsBoolean() || System.nanoTime() > deadlineNanos) {
        return Future.failedFuture(t);
      }
      Promise<QmpLink> retry = Promise.promise();
      pending = () -> next().onComplete(retry);
      long delay = wake.isComplete() ? Math.min(++attempt, MAX_DELAY_MS) : FALLBACK_MS;
      timer = vertx.setTimer(delay, id -> fire());
      return retry.future();
    });
  }

  private void woken() {
    if (pending != null) {
      vertx.cancelTimer(timer);
      fire();
    }
  }

  private void fire() {
    Runnable r = pending;
    pending = null;
    if (r != null) {
      r.run();
    }
  }
}

package io.vmsup.supervisor.link;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Polls a starting QEMU's QMP socket until a connection is negotiated. QEMU creates its socket 10-30 ms after exec
 * here; retries wait 1, 2, 3 … 10 ms (then 10 ms): a lone start connects within a few ms of the socket appearing,
 * while 200 starts at once do not flood the host with connect attempts (a flat 2 ms poll did: 100k attempts/s).
 */
public final class ConnectLoop {

  private static final long MAX_DELAY_MS = 10;

  private final Vertx vertx;
  private final QmpConnector connector;
  private final Path socket;
  private final String vm;
  private final BooleanSupplier alive;
  private final long deadlineNanos;
  private int attempt;

  private ConnectLoop(Vertx vertx, QmpConnector connector, Path socket, String vm, BooleanSupplier alive,
      long deadlineNanos) {
    this.vertx = vertx;
    this.connector = connector;
    this.socket = socket;
    this.vm = vm;
    this.alive = alive;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Connects on the caller's context, retrying {@link QmpConnector.NotListening} while {@code alive} holds and the
   * deadline ({@link System#nanoTime()} based) has not passed; fails with the last failure otherwise.
   */
  public static Future<QmpLink> connect(Vertx vertx, QmpConnector connector, Path socket, String vm,
      BooleanSupplier alive, long deadlineNanos) {
    return new ConnectLoop(vertx, connector, socket, vm, alive, deadlineNanos).next();
  }

  private Future<QmpLink> next() {
    return connector.connect(socket, vm).recover(t -> {
      if (!(t instanceof QmpConnector.NotListening) || !alive.getAsBoolean() || System.nanoTime() > deadlineNanos) {
        return Future.failedFuture(t);
      }
      attempt++;
      Promise<QmpLink> retry = Promise.promise();
      vertx.setTimer(Math.min(attempt, MAX_DELAY_MS), id -> next().onComplete(retry));
      return retry.future();
    });
  }
}

package io.vmsup.qmp.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpClient;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpFd;
import io.vmsup.qmp.QmpGreeting;
import io.vmsup.qmp.QmpOptions;
import io.vmsup.qmp.QmpPeer;
import io.vmsup.qmp.QmpState;
import io.vmsup.qmp.QmpSubscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The public face of a {@link QmpConnection}: brings calls from other threads onto its context. */
public final class QmpClientImpl implements QmpClient {

  private final QmpConnection conn;
  private final ContextInternal ctx;

  private QmpClientImpl(QmpConnection conn) {
    this.conn = conn;
    this.ctx = conn.context();
  }

  public static Future<QmpClient> connect(Vertx vertx, Path socket, QmpOptions options) {
    Objects.requireNonNull(socket, "socket");
    ContextInternal ctx = ((ContextInternal) vertx.getOrCreateContext()).unwrap();
    QmpConnection conn = new QmpConnection(ctx, socket, options == null ? QmpOptions.defaults() : options);
    run(ctx, conn::start);
    return conn.ready().map(QmpClientImpl::new);
  }

  /** The connection behind a client made by {@link #connect} (tests and diagnostics). */
  public static QmpConnection connectionOf(QmpClient client) {
    return ((QmpClientImpl) client).conn;
  }

  @Override
  public QmpGreeting greeting() {
    return conn.greeting();
  }

  @Override
  public String transport() {
    return conn.transport();
  }

  @Override
  public QmpPeer peer() {
    return conn.peer();
  }

  @Override
  public QmpState state() {
    return conn.state();
  }

  @Override
  public <T> Future<T> execute(QmpCommand<T> command) {
    return execute(command, conn.options().commandTimeout());
  }

  @Override
  public <T> Future<T> execute(QmpCommand<T> command, Duration timeout) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(timeout, "timeout");
    if (onConnectionThread()) {
      return conn.send(command, timeout);
    }
    return onContext(() -> conn.send(command, timeout));
  }

  @Override
  public Future<Object> execute(String name, JsonObject arguments) {
    return execute(QmpCommand.raw(name, arguments));
  }

  @Override
  public Future<Object> execute(String name, JsonObject arguments, Duration timeout) {
    return execute(QmpCommand.raw(name, arguments), timeout);
  }

  @Override
  public <T> Future<T> executeWithFd(QmpCommand<T> command, QmpFd fd) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(fd, "fd");
    return onContext(() -> conn.fdQueue().submit(command, fd, conn.options().commandTimeout()));
  }

  @Override
  public QmpSubscription subscribe(String eventNameOrNull, Handler<QmpEvent> handler) {
    Context current = Vertx.currentContext();
    return subscribe(eventNameOrNull, current == null ? ctx : current, handler);
  }

  @Override
  public QmpSubscription subscribe(String eventNameOrNull, Context context, Handler<QmpEvent> handler) {
    Objects.requireNonNull(handler, "handler");
    ContextInternal target = context == null ? ctx : ((ContextInternal) context).unwrap();
    QmpSubscription sub = conn.events().create(eventNameOrNull, target, handler);
    run(ctx, () -> conn.events().add(sub));
    return sub;
  }

  @Override
  public Future<QmpEvent> awaitEvent(String name, Predicate<QmpEvent> predicate, Duration timeout) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(timeout, "timeout");
    return onContext(() -> conn.events().await(name, predicate, timeout));
  }

  @Override
  public Future<Void> closeFuture() {
    return conn.closeFuture();
  }

  @Override
  public boolean isOpen() {
    return conn.state() == QmpState.RUNNING;
  }

  @Override
  public Future<Void> close() {
    run(ctx, () -> conn.closeWith("closed by client", null));
    return conn.closeFuture();
  }

  // On the thread that runs the connection's context (its event loop; for a worker context, one of its tasks) the
  // call runs inline, also from another context on that thread, such as the duplicated context of an event-bus
  // handler or a verticle sharing the loop: only a call from another thread hops.
  private boolean onConnectionThread() {
    return ctx.inThread();
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (onConnectionThread()) {
      return action.get();
    }
    PromiseInternal<T> promise = ctx.promise();
    ctx.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private static void run(ContextInternal ctx, Runnable action) {
    if (ctx.inThread()) {
      action.run();
    } else {
      ctx.runOnContext(v -> action.run());
    }
  }
}

package io.vmsup.qmp.impl;

import io.vertx.core.Future;
import io.netty.buffer.Unpooled;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vmsup.qmp.QmpClosedException;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpFd;
import io.vmsup.qmp.QmpProtocolException;
import io.vmsup.qmp.QmpTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Runs fd-bearing commands one at a time. QEMU keeps only the descriptor of the latest fd-bearing read, and
 * Netty drops a descriptor whose write hits EAGAIN, so the next descriptor is written only after the previous
 * command's reply (or, after a timeout, its late reply) has arrived.
 */
final class FdQueue {

  private static final Logger log = LoggerFactory.getLogger(FdQueue.class);
  // qmp-spec: an ASCII control character other than tab/CR/LF resets QEMU's JSON lexer after the carrier byte
  private static final byte[] LEXER_RESET = {0x1f, '\n'};

  private final QmpConnection conn;
  private final ArrayDeque<Op<?>> queue = new ArrayDeque<>();
  private long inFlightId = -1;

  FdQueue(QmpConnection conn) {
    this.conn = conn;
  }

  <T> Future<T> submit(QmpCommand<T> command, QmpFd fd, Duration timeout) {
    PromiseInternal<T> promise = conn.context().promise();
    if (conn.state() != io.vmsup.qmp.QmpState.RUNNING) {
      promise.fail(conn.notRunning());
    } else if (!conn.transport().equals("epoll")) {
      promise.fail(new QmpProtocolException("passing file descriptors needs the epoll transport; this "
          + "connection runs on " + conn.transport() + " (VertxOptions.setPreferNativeTransport(true))"));
    } else {
      Op<T> op = new Op<>(command, fd, timeout, promise);
      // a queued command's clock starts when it is submitted
      op.queueTimer = conn.context().setTimer(Math.max(1, timeout.toMillis()), t -> {
        if (queue.remove(op)) {
          promise.tryFail(new QmpTimeoutException(command.name(), timeout));
        }
      });
      queue.add(op);
      pump();
    }
    return promise.future();
  }

  /** Whether an id-less error may be the echo of the carrier byte of the fd on the wire. */
  boolean expectsIdlessError() {
    return inFlightId >= 0;
  }

  /** A reply (or late reply) arrived for {@code id}. */
  void replied(long id) {
    if (id == inFlightId) {
      inFlightId = -1;
      pump();
    }
  }

  void close(QmpClosedException reason) {
    inFlightId = -1;
    Op<?> op;
    while ((op = queue.poll()) != null) {
      conn.context().owner().cancelTimer(op.queueTimer);
      op.promise.tryFail(reason);
    }
  }

  private void pump() {
    if (inFlightId >= 0 || queue.isEmpty()) {
      return;
    }
    Op<?> op = queue.poll();
    conn.context().owner().cancelTimer(op.queueTimer);
    start(op);
  }

  private <T> void start(Op<T> op) {
    io.vmsup.qmp.QmpException refused = conn.refusal(op.command);
    if (refused != null) {
      // refused before its descriptor is written: nothing is in flight, the next one may go
      op.promise.tryFail(refused);
      pump();
      return;
    }
    conn.outbound().writeFd(op.fd.intValue()).addListener(f -> {
      if (!f.isSuccess()) {
        log.warn("QMP: writing " + op.fd + " failed; " + op.command.name() + " will see no descriptor", f.cause());
      }
    });
    conn.outbound().write(Unpooled.wrappedBuffer(LEXER_RESET));
    Future<T> reply = conn.send(op.command, op.timeout);
    inFlightId = conn.lastId();
    reply.onComplete(op.promise);
  }

  private static final class Op<T> {
    final QmpCommand<T> command;
    final QmpFd fd;
    final Duration timeout;
    final PromiseInternal<T> promise;
    long queueTimer;

    Op(QmpCommand<T> command, QmpFd fd, Duration timeout, PromiseInternal<T> promise) {
      this.command = command;
      this.fd = fd;
      this.timeout = timeout;
      this.promise = promise;
    }
  }
}

package io.vmsup.qmp.impl;

import io.vertx.core.internal.PromiseInternal;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpObserver;
import java.time.Duration;

/** A command on the wire, waiting for the reply with its id. */
final class Pending<T> {

  final long id;
  final QmpCommand<T> command;
  final PromiseInternal<T> promise;
  final Duration timeout;
  final long startNanos;
  /** When the command times out, a {@link System#nanoTime()} value. */
  final long deadline;

  Pending(long id, QmpCommand<T> command, PromiseInternal<T> promise, Duration timeout) {
    this.id = id;
    this.command = command;
    this.promise = promise;
    this.timeout = timeout;
    this.startNanos = System.nanoTime();
    this.deadline = startNanos + saturatedNanos(timeout);
  }

  // a timeout of years would overflow nanoTime arithmetic; ~146 years is "never" here
  private static long saturatedNanos(Duration timeout) {
    try {
      return Math.min(Math.max(timeout.toNanos(), 1_000_000L), Long.MAX_VALUE / 4);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  void complete(Object returnValue, QmpObserver observer) {
    T result;
    try {
      result = command.decoder().apply(returnValue);
    } catch (RuntimeException e) {
      fail(new io.vmsup.qmp.QmpProtocolException(
          "cannot decode the reply of " + command.name() + ": " + e, e), "error", observer);
      return;
    }
    observer.commandCompleted(command.name(), System.nanoTime() - startNanos, "ok");
    promise.tryComplete(result);
  }

  void fail(Throwable failure, String outcome, QmpObserver observer) {
    observer.commandCompleted(command.name(), System.nanoTime() - startNanos, outcome);
    promise.tryFail(failure);
  }
}

package io.vmsup.qmp.impl;

import io.vertx.core.internal.PromiseInternal;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpObserver;

/** A command on the wire, waiting for the reply with its id. */
final class Pending<T> {

  final long id;
  final QmpCommand<T> command;
  final PromiseInternal<T> promise;
  final long startNanos;
  long timer = -1;

  Pending(long id, QmpCommand<T> command, PromiseInternal<T> promise) {
    this.id = id;
    this.command = command;
    this.promise = promise;
    this.startNanos = System.nanoTime();
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

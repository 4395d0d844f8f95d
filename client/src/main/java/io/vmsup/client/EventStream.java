package io.vmsup.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/**
 * A subscription to the daemon's published messages as a {@link ReadStream}: events or console lines, decoded.
 * Flow control as any read stream ({@link #pause()}, {@link #fetch(long)}); while paused, the event bus buffers up to
 * its consumer's limit (1000 messages) and drops what comes after. A message that cannot be decoded goes to the
 * {@link #exceptionHandler} as a {@link VmsupException} ({@link ErrorCode#INTERNAL}) and the stream goes on.
 */
public interface EventStream<T> extends ReadStream<T> {

  /**
   * Completes once the subscription is registered (on a clustered bus: known to the other members), so that every
   * message published afterwards reaches it.
   */
  Future<Void> registered();

  /** Ends the subscription; the end handler is called. */
  Future<Void> close();

  @Override
  EventStream<T> exceptionHandler(Handler<Throwable> handler);

  @Override
  EventStream<T> handler(Handler<T> handler);

  @Override
  EventStream<T> pause();

  @Override
  EventStream<T> resume();

  @Override
  EventStream<T> fetch(long amount);

  @Override
  EventStream<T> endHandler(Handler<Void> endHandler);
}

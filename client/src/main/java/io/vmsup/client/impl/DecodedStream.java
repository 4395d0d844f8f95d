package io.vmsup.client.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vmsup.client.ErrorCode;
import io.vmsup.client.EventStream;
import io.vmsup.client.VmsupException;
import java.util.function.Function;

/**
 * A bus consumer whose bodies are decoded into records. The consumer is registered when a handler is set (as
 * {@link MessageConsumer} itself does), so no message is taken before the caller can see it.
 */
final class DecodedStream<T> implements EventStream<T> {

  private final MessageConsumer<Object> consumer;
  private final Function<JsonObject, T> decoder;
  private Handler<Throwable> exceptionHandler;

  DecodedStream(MessageConsumer<Object> consumer, Function<JsonObject, T> decoder) {
    this.consumer = consumer;
    this.decoder = decoder;
  }

  @Override
  public Future<Void> registered() {
    return consumer.completion();
  }

  @Override
  public Future<Void> close() {
    return consumer.unregister();
  }

  @Override
  public EventStream<T> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    consumer.exceptionHandler(handler);
    return this;
  }

  @Override
  public EventStream<T> handler(Handler<T> handler) {
    if (handler == null) {
      consumer.handler(null);
      return this;
    }
    consumer.handler(m -> {
      T decoded;
      try {
        Object body = m.body();
        if (!(body instanceof JsonObject json)) {
          throw new Fields.BadReply("the body must be a JSON object, not " + body);
        }
        decoded = decoder.apply(json);
      } catch (RuntimeException e) {
        Handler<Throwable> h = exceptionHandler;
        if (h != null) {
          h.handle(new VmsupException(ErrorCode.INTERNAL, "unreadable message on " + m.address() + ": "
              + e.getMessage()));
        }
        return;
      }
      handler.handle(decoded);
    });
    return this;
  }

  @Override
  public EventStream<T> pause() {
    consumer.pause();
    return this;
  }

  @Override
  public EventStream<T> resume() {
    consumer.resume();
    return this;
  }

  @Override
  public EventStream<T> fetch(long amount) {
    consumer.fetch(amount);
    return this;
  }

  @Override
  public EventStream<T> endHandler(Handler<Void> endHandler) {
    consumer.endHandler(endHandler);
    return this;
  }
}

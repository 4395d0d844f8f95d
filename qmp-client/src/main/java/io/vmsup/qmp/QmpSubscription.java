package io.vmsup.qmp;

/**
 * A registration made with {@link QmpClient#subscribe}. Each subscription has its own bounded buffer: when its
 * handler falls behind by {@link QmpOptions#eventBufferSize()} events, further events are dropped (and counted)
 * for this subscription only; the connection never waits for a subscriber.
 */
public interface QmpSubscription {

  /** The event name this subscription listens to, or {@code null} for all events. */
  String eventName();

  /** How many events were dropped for this subscription because its buffer was full. Readable from any thread. */
  long dropped();

  /** Stops delivery. Events already queued for the handler may still be delivered. Idempotent. */
  void unsubscribe();
}

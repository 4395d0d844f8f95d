package io.vmsup.client;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An event the daemon published on {@code vmsup.events} / {@code vmsup.events.<vm>} (docs/event-bus-api.md,
 * "Events"): a {@link StateEvent}, a {@link QmpEvent}, a {@link StopStepEvent}, or any other type as an
 * {@link OtherEvent} (responsive, persistence, tainted, qmp-reconnected, fenced, and types added later).
 */
public sealed interface VmEvent permits StateEvent, QmpEvent, StopStepEvent, OtherEvent {

  /** The event's {@code type}. */
  String type();

  /** The VM it is about. */
  String vm();

  /** The host whose daemon published it (a clustered daemon), else null. */
  String host();

  /** When it happened. */
  Instant timestamp();

  /** The event as received. */
  JsonObject json();
}

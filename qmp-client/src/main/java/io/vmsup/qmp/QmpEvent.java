package io.vmsup.qmp;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An asynchronous event: {@code {"event": NAME, "data": {...}, "timestamp": {"seconds": S, "microseconds": U}}}.
 * The timestamp has microsecond precision; QEMU sends {@code -1}/{@code -1} when the host clock failed.
 *
 * @param name the event name, for example {@code STOP}
 * @param data the event's data, an empty object when the event has none
 * @param seconds seconds since the epoch, {@code -1} when unknown
 * @param micros microseconds within the second, {@code -1} when unknown
 */
public record QmpEvent(String name, JsonObject data, long seconds, long micros) {

  public QmpEvent {
    data = data == null ? new JsonObject() : data;
  }

  /** Whether QEMU could read its clock when it emitted the event. */
  public boolean hasTimestamp() {
    return seconds >= 0 && micros >= 0;
  }

  /** The timestamp as an {@link Instant}, or {@link Instant#EPOCH} when {@link #hasTimestamp()} is false. */
  public Instant timestamp() {
    return hasTimestamp() ? Instant.ofEpochSecond(seconds, micros * 1000L) : Instant.EPOCH;
  }
}

package io.vmsup.client;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A step of the stop ladder: {@code {"type":"stop-step","vm","step","timestamp"}}. */
public record StopStepEvent(String vm, String host, String step, Instant timestamp, JsonObject json)
    implements VmEvent {

  @Override
  public String type() {
    return "stop-step";
  }
}

package io.vmsup.client;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A VM changed state: {@code {"type":"state","vm","from","to","reason","timestamp"}}. */
public record StateEvent(String vm, String host, VmState from, VmState to, String reason, Instant timestamp,
                         JsonObject json) implements VmEvent {

  @Override
  public String type() {
    return "state";
  }
}

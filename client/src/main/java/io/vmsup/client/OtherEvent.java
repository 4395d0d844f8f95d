package io.vmsup.client;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Any other event type; its members are in {@link #json()}. */
public record OtherEvent(String type, String vm, String host, Instant timestamp, JsonObject json)
    implements VmEvent {
}

package io.vmsup.supervisor.vm;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmState;
import java.time.Instant;

/** One state change of a VM, as published on the event bus ({@code "type":"state"}). */
public record Transition(String vm, VmState from, VmState to, Reason reason, Instant timestamp) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", "state")
        .put("vm", vm)
        .put("from", from.json())
        .put("to", to.json())
        .put("reason", reason.json())
        .put("timestamp", timestamp.toString());
  }
}

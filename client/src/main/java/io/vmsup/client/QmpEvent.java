package io.vmsup.client;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A QMP event of the VM as QEMU sent it: {@code {"type":"qmp","vm","event","data","timestamp"}}. */
public record QmpEvent(String vm, String host, String event, JsonObject data, Instant timestamp, JsonObject json)
    implements VmEvent {

  @Override
  public String type() {
    return "qmp";
  }
}

package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** Edits of a VM spec's JSON; each returns a new spec and leaves its input alone. */
final class SpecEdits {

  private SpecEdits() {
  }

  static JsonArray devices(JsonObject spec) {
    return spec.getJsonArray("devices", new JsonArray());
  }

  /** The spec with {@code device} appended to {@code devices}. */
  static JsonObject withDevice(JsonObject spec, JsonObject device) {
    JsonObject out = spec.copy();
    out.put("devices", devices(out).copy().add(device.copy()));
    return out;
  }

  /** The device with this id. */
  static Optional<JsonObject> device(JsonObject spec, String id) {
    for (Object o : devices(spec)) {
      if (o instanceof JsonObject d && id.equals(d.getString("id"))) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The spec without the device of this id. */
  static JsonObject withoutDevice(JsonObject spec, String id) {
    JsonObject out = spec.copy();
    JsonArray kept = new JsonArray();
    for (Object o : devices(out)) {
      if (!(o instanceof JsonObject d && id.equals(d.getString("id")))) {
        kept.add(o);
      }
    }
    out.put("devices", kept);
    return out;
  }

  /** The vCPU count at start ({@code smp.cpus}, default 1). */
  static int cpus(JsonObject spec) {
    Object smp = spec.getValue("smp");
    if (smp instanceof JsonObject s && s.getValue("cpus") instanceof Number n) {
      return n.intValue();
    }
    return 1;
  }

  /** The spec with {@code smp.cpus} set. */
  static JsonObject withCpus(JsonObject spec, int cpus) {
    JsonObject out = spec.copy();
    JsonObject smp = out.getValue("smp") instanceof JsonObject s ? s : new JsonObject();
    out.put("smp", smp.put("cpus", cpus));
    return out;
  }
}

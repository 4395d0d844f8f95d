package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.HostLossPolicy;

/** Whether a stored VM spec says {@code supervision.onHostLoss: relocate}. */
final class Relocatable {

  private Relocatable() {
  }

  static boolean is(JsonObject spec) {
    return spec != null && spec.getValue("supervision") instanceof JsonObject s
        && HostLossPolicy.RELOCATE.json().equals(s.getValue("onHostLoss"));
  }

  /**
   * The JSON paths of the disks the daemon makes in its own state directory ({@code image} or {@code size} instead
   * of {@code file}): another host cannot see them, so a VM with any is never relocated (it would start there on a
   * new, empty disk).
   */
  static java.util.List<String> hostLocalDisks(JsonObject spec) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (spec.getValue("devices") instanceof io.vertx.core.json.JsonArray devices) {
      for (int i = 0; i < devices.size(); i++) {
        if (devices.getValue(i) instanceof JsonObject d && "disk".equals(d.getValue("kind")) && d.getValue("file") == null
            && (d.getValue("image") != null || d.getValue("size") != null)) {
          out.add("devices[" + i + "]");
        }
      }
    }
    return out;
  }
}

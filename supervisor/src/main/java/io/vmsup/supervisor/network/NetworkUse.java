package io.vmsup.supervisor.network;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Which networks a VM spec (as JSON) puts NICs on. */
public final class NetworkUse {

  private NetworkUse() {
  }

  /** Whether a NIC of the spec names {@code network}. */
  public static boolean uses(JsonObject spec, String network) {
    JsonArray devices = spec == null ? null : spec.getJsonArray("devices");
    if (devices == null) {
      return false;
    }
    for (Object d : devices) {
      if (d instanceof JsonObject o && "nic".equals(o.getValue("kind")) && network.equals(o.getValue("network"))) {
        return true;
      }
    }
    return false;
  }
}

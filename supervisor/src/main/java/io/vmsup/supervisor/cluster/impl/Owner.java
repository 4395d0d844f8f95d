package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.json.JsonObject;

/**
 * One entry of the fleet directory: the host that owns a VM name, and the generation of that ownership (1 at
 * create; a relocation takes the next). Stored as its JSON text so compare-and-set compares exact strings.
 */
public record Owner(String host, long generation) {

  public String encode() {
    return new JsonObject().put("host", host).put("generation", generation).encode();
  }

  /** The entry stored as {@code text}; null for null. */
  public static Owner decode(String text) {
    if (text == null) {
      return null;
    }
    JsonObject j = new JsonObject(text);
    return new Owner(j.getString("host"), j.getLong("generation", 1L));
  }
}

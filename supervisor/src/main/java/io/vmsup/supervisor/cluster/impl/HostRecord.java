package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * A member as the fleet's host table holds it (Vert.x {@code SharedData}: host id → this record's JSON text): the
 * cluster node holding the id, when it joined, where it is reached, its labels, and whether it is cordoned.
 */
public record HostRecord(String host, String node, String joinedAt, String bus, String membership,
    Map<String, String> labels, boolean cordoned) {

  public HostRecord {
    labels = Map.copyOf(labels);
  }

  public HostRecord withCordoned(boolean value) {
    return new HostRecord(host, node, joinedAt, bus, membership, labels, value);
  }

  public JsonObject toJson() {
    JsonObject l = new JsonObject();
    new TreeMap<>(labels).forEach(l::put);
    return new JsonObject().put("host", host).put("node", node).put("joinedAt", joinedAt).put("bus", bus)
        .put("membership", membership).put("labels", l).put("cordoned", cordoned);
  }

  /** The record as {@code vmsup.hosts.list} and cordon show it: addresses grouped, no cluster node id. */
  public JsonObject view() {
    JsonObject j = toJson();
    j.remove("node");
    j.remove("bus");
    j.remove("membership");
    return j.put("addresses", new JsonObject().put("bus", bus).put("membership", membership));
  }

  public String encode() {
    return toJson().encode();
  }

  /** The record stored as {@code text}; null for null. */
  public static HostRecord decode(String text) {
    if (text == null) {
      return null;
    }
    JsonObject j = new JsonObject(text);
    Map<String, String> labels = new TreeMap<>();
    j.getJsonObject("labels", new JsonObject()).forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
    return new HostRecord(j.getString("host"), j.getString("node"), j.getString("joinedAt"), j.getString("bus"),
        j.getString("membership"), labels, j.getBoolean("cordoned", false));
  }
}

package io.vmsup.supervisor.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code labels} filter of {@code vmsup.vm.list}: {@code {"labels": {"k": "v", ...}}} keeps the VMs whose spec's
 * {@code labels} carry every pair. No filter keeps every VM.
 *
 * @param wanted  the pairs a VM must carry
 * @param problem why the filter is malformed (INVALID), or null
 */
public record LabelFilter(Map<String, String> wanted, VmException problem) {

  /** The filter of a list request's body. */
  public static LabelFilter of(JsonObject body) {
    Object labels = body == null ? null : body.getValue("labels");
    if (labels == null) {
      return new LabelFilter(Map.of(), null);
    }
    if (!(labels instanceof JsonObject j)) {
      return invalid("labels", "must be an object of strings");
    }
    Map<String, String> wanted = new TreeMap<>();
    for (var e : j) {
      if (!(e.getValue() instanceof String s)) {
        return invalid("labels." + e.getKey(), "must be a string");
      }
      wanted.put(e.getKey(), s);
    }
    return new LabelFilter(wanted, null);
  }

  private static LabelFilter invalid(String path, String message) {
    return new LabelFilter(Map.of(), VmException.invalid("bad list filter", new JsonArray()
        .add(new JsonObject().put("path", path).put("message", message))));
  }

  /** Whether a VM with this stored spec passes. */
  public boolean matches(JsonObject spec) {
    if (wanted.isEmpty()) {
      return true;
    }
    JsonObject have = spec == null || !(spec.getValue("labels") instanceof JsonObject l) ? new JsonObject() : l;
    return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(have.getValue(e.getKey())));
  }

  public boolean empty() {
    return wanted.isEmpty();
  }
}

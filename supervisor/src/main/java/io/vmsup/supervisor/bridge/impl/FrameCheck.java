package io.vmsup.supervisor.bridge.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * What a TCP bridge frame must look like before the library bridge sees it. The library parses each frame with the
 * same Vert.x JSON parser and reads its members without checks: a type it does not know, a header that is not a
 * string or a codec name it has not registered throws inside its parser and leaves the connection's framing broken.
 */
final class FrameCheck {

  static final int MAX_ADDRESS = 1024;
  static final int MAX_HEADER_VALUE = 8192;
  static final long MAX_TIMEOUT_MS = 600_000;
  private static final Set<String> TYPES = Set.of("send", "publish", "register", "unregister", "ping");
  /** Delivery options a client may not set: a codec by name, or a local-only delivery. */
  private static final Set<String> REFUSED_HEADERS = Set.of("codecname", "localonly");

  private FrameCheck() {
  }

  /** Null when {@code frame} (length prefix included) is acceptable, else what is wrong, naming the member. */
  static String problem(Buffer frame) {
    JsonObject o;
    try {
      o = new JsonObject(frame.getString(4, frame.length(), StandardCharsets.UTF_8.name()));
    } catch (DecodeException | ClassCastException e) {
      return "not a JSON object";
    }
    if (!(o.getValue("type") instanceof String type) || !TYPES.contains(type)) {
      return "type: must be one of " + TYPES;
    }
    if (!type.equals("ping")) {
      String bad = text(o, "address", false);
      if (bad != null) {
        return bad;
      }
    }
    String bad = text(o, "replyAddress", true);
    if (bad != null) {
      return bad;
    }
    if (o.getValue("failureCode") != null && !(o.getValue("failureCode") instanceof Integer)) {
      return "failureCode: must be an integer";
    }
    if (o.getValue("message") != null && !(o.getValue("message") instanceof String)) {
      return "message: must be a string";
    }
    return headers(o.getValue("headers"));
  }

  private static String text(JsonObject o, String key, boolean optional) {
    Object v = o.getValue(key);
    if (v == null && optional) {
      return null;
    }
    if (!(v instanceof String s) || s.isEmpty() || s.length() > MAX_ADDRESS) {
      return key + ": must be a string of 1-" + MAX_ADDRESS + " characters";
    }
    return null;
  }

  private static String headers(Object headers) {
    if (headers == null) {
      return null;
    }
    if (!(headers instanceof JsonObject h)) {
      return "headers: must be an object";
    }
    for (Map.Entry<String, Object> e : h) {
      String key = e.getKey();
      Object v = e.getValue();
      if (REFUSED_HEADERS.contains(key.toLowerCase(java.util.Locale.ROOT))) {
        return "headers." + key + ": not allowed";
      }
      if (key.equals("timeout")) {
        if (!(v instanceof Number n) || n.longValue() < 1 || n.longValue() > MAX_TIMEOUT_MS
            || n.doubleValue() != n.longValue()) {
          return "headers.timeout: must be whole milliseconds, 1-" + MAX_TIMEOUT_MS;
        }
      } else if (!(v instanceof String s) || s.length() > MAX_HEADER_VALUE) {
        return "headers." + key + ": must be a string of at most " + MAX_HEADER_VALUE + " characters";
      }
    }
    return null;
  }
}

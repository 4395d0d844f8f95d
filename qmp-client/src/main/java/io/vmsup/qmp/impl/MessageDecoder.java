package io.vmsup.qmp.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QemuVersion;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpGreeting;
import io.vmsup.qmp.QmpProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Turns one JSON text (a frame) into a {@link ServerMessage}. Unknown members are ignored (qmp-spec). */
public final class MessageDecoder {

  private MessageDecoder() {
  }

  /** @throws QmpProtocolException when the text is not a JSON object of a known QMP shape */
  public static ServerMessage decode(Buffer frame) {
    byte[] bytes = frame.getBytes();
    return decode(bytes, 0, bytes.length);
  }

  /** As {@link #decode(Buffer)}, for the frame in {@code bytes[from, to)}. */
  public static ServerMessage decode(byte[] bytes, int from, int to) {
    Object top;
    try {
      top = topLevel(bytes, from, to);
    } catch (QmpProtocolException e) {
      throw new QmpProtocolException("not a JSON object: " + preview(bytes, from, to) + " (" + e.getMessage() + ")",
          e);
    }
    if (top instanceof ServerMessage reply) {
      return reply;
    }
    try {
      return decode((JsonObject) top);
    } catch (ClassCastException e) {
      throw new QmpProtocolException("member of unexpected type in " + preview(bytes, from, to), e);
    }
  }

  // A reply ({"return": ..., "id": N}: most of what QEMU sends) is read without a map and lookups for its top level;
  // any other member puts the top level in a JsonObject for the full decode.
  private static Object topLevel(byte[] bytes, int from, int to) {
    JsonReader r = JsonReader.over(bytes, from, to);
    r.open();
    Object ret = null;
    Object id = null;
    boolean hasReturn = false;
    boolean hasId = false;
    LinkedHashMap<String, Object> map = null;
    for (String key = r.nextKey(); key != null; key = r.nextKey()) {
      Object value = r.nextValue();
      if (map == null && key.equals("return")) {
        hasReturn = true;
        ret = value;
      } else if (map == null && key.equals("id")) {
        hasId = true;
        id = value;
      } else {
        if (map == null) {
          map = new LinkedHashMap<>(8);
          putIf(map, hasReturn, "return", ret);
          putIf(map, hasId, "id", id);
        }
        map.put(key, value);
      }
    }
    if (map == null && hasReturn) {
      return new ServerMessage.Return(id(hasId, id), ret);
    }
    if (map == null) {
      map = new LinkedHashMap<>(2);
      putIf(map, hasId, "id", id);
    }
    return new JsonObject(map);
  }

  private static void putIf(LinkedHashMap<String, Object> map, boolean present, String key, Object value) {
    if (present) {
      map.put(key, value);
    }
  }

  static ServerMessage decode(JsonObject json) {
    if (json.containsKey("return")) {
      return new ServerMessage.Return(id(json), json.getValue("return"));
    }
    JsonObject error = json.getJsonObject("error");
    if (error != null) {
      return new ServerMessage.Error(id(json), error.getString("class", "GenericError"),
          error.getString("desc", ""));
    }
    String event = json.getString("event");
    if (event != null) {
      JsonObject ts = json.getJsonObject("timestamp", new JsonObject());
      return new ServerMessage.Event(new QmpEvent(event, json.getJsonObject("data"),
          ts.getLong("seconds", -1L), ts.getLong("microseconds", -1L)));
    }
    JsonObject qmp = json.getJsonObject("QMP");
    if (qmp != null) {
      return new ServerMessage.Greeting(greeting(qmp));
    }
    throw new QmpProtocolException("unknown message: " + preview(json.toBuffer()));
  }

  private static QmpGreeting greeting(JsonObject qmp) {
    JsonObject version = qmp.getJsonObject("version", new JsonObject());
    JsonObject qemu = version.getJsonObject("qemu", new JsonObject());
    List<String> caps = new ArrayList<>();
    for (Object c : qmp.getJsonArray("capabilities", new JsonArray())) {
      caps.add(String.valueOf(c));
    }
    return new QmpGreeting(new QemuVersion(qemu.getInteger("major", 0), qemu.getInteger("minor", 0),
        qemu.getInteger("micro", 0), version.getString("package", "")), caps);
  }

  /** An id that is none of ours: we send only positive integers, so any other value of {@code id} maps here. */
  static final long FOREIGN_ID = 0;

  // We only send positive integer ids: a string, a fraction, a negative or a too-large number cannot be ours (and a
  // fraction must not be rounded onto one of ours).
  private static Long id(JsonObject json) {
    return id(json.containsKey("id"), json.getValue("id"));
  }

  private static Long id(boolean present, Object id) {
    if (!present) {
      return null;
    }
    if (id instanceof Integer || id instanceof Long || id instanceof Short || id instanceof Byte) {
      long v = ((Number) id).longValue();
      return v > 0 ? v : FOREIGN_ID;
    }
    return FOREIGN_ID;
  }

  static String preview(Buffer b) {
    byte[] bytes = b.getBytes();
    return preview(bytes, 0, bytes.length);
  }

  static String preview(byte[] bytes, int from, int to) {
    int n = Math.min(to - from, 120);
    String s = new String(bytes, from, n, StandardCharsets.UTF_8) + (to - from > 120 ? "..." : "");
    return s.replaceAll("[\\p{Cntrl}]", "?");
  }
}

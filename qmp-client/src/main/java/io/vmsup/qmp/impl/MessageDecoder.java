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
    JsonObject json;
    try {
      json = JsonReader.object(bytes, from, to);
    } catch (QmpProtocolException e) {
      throw new QmpProtocolException("not a JSON object: " + preview(bytes, from, to) + " (" + e.getMessage() + ")",
          e);
    }
    try {
      return decode(json);
    } catch (ClassCastException e) {
      throw new QmpProtocolException("member of unexpected type in " + preview(bytes, from, to), e);
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
    if (!json.containsKey("id")) {
      return null;
    }
    Object id = json.getValue("id");
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

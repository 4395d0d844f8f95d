package io.vmsup.client.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.client.VmState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict reads of a reply's members: a missing required member or one of the wrong type is a {@link BadReply}
 * naming the member, never a null the caller trips over later.
 */
final class Fields {

  private Fields() {
  }

  static String text(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v instanceof String s) {
      return s;
    }
    throw new BadReply(key + " must be a string, not " + describe(v));
  }

  static String optText(JsonObject o, String key) {
    return o.getValue(key) == null ? null : text(o, key);
  }

  static Long optLong(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new BadReply(key + " must be an integer, not " + describe(v));
  }

  static long whole(JsonObject o, String key) {
    Long v = optLong(o, key);
    if (v == null) {
      throw new BadReply(key + " is missing");
    }
    return v;
  }

  static boolean flag(JsonObject o, String key, boolean absent) {
    Object v = o.getValue(key);
    if (v == null) {
      return absent;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new BadReply(key + " must be a boolean, not " + describe(v));
  }

  static Instant optInstant(JsonObject o, String key) {
    String s = optText(o, key);
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new BadReply(key + " must be an ISO-8601 UTC time, not '" + s + "'");
    }
  }

  static Instant instant(JsonObject o, String key) {
    Instant t = optInstant(o, key);
    if (t == null) {
      throw new BadReply(key + " is missing");
    }
    return t;
  }

  static VmState state(JsonObject o, String key) {
    String s = text(o, key);
    try {
      return VmState.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw new BadReply(key + " is no VM state: '" + s + "'");
    }
  }

  static VmState optState(JsonObject o, String key) {
    return o.getValue(key) == null ? null : state(o, key);
  }

  static JsonObject object(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v instanceof JsonObject j) {
      return j;
    }
    throw new BadReply(key + " must be an object, not " + describe(v));
  }

  static JsonObject optObject(JsonObject o, String key) {
    return o.getValue(key) == null ? null : object(o, key);
  }

  /** A list of strings; an absent member is an empty list. */
  static List<String> texts(JsonObject o, String key) {
    Object v = o.getValue(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray a)) {
      throw new BadReply(key + " must be an array, not " + describe(v));
    }
    for (Object e : a) {
      if (!(e instanceof String s)) {
        throw new BadReply(key + " must hold strings, not " + describe(e));
      }
      out.add(s);
    }
    return out;
  }

  /** The objects of an array member, which must be present. */
  static List<JsonObject> objects(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (!(v instanceof JsonArray a)) {
      throw new BadReply(key + " must be an array, not " + describe(v));
    }
    List<JsonObject> out = new ArrayList<>();
    for (Object e : a) {
      if (!(e instanceof JsonObject j)) {
        throw new BadReply(key + " must hold objects, not " + describe(e));
      }
      out.add(j);
    }
    return out;
  }

  private static String describe(Object v) {
    return v == null ? "absent" : v.getClass().getSimpleName().replace("Json", "").toLowerCase();
  }

  /** A reply the client cannot read; becomes an INTERNAL failure naming the address. */
  static final class BadReply extends RuntimeException {

    BadReply(String message) {
      super(message, null, false, false);
    }
  }
}

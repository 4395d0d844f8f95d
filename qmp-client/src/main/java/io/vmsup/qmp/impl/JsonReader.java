package io.vmsup.qmp.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpProtocolException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * A strict JSON reader for one message, straight from the frame's bytes to the values Vert.x's own decoder makes
 * ({@link JsonObject} over a {@link LinkedHashMap}, {@link JsonArray}, {@link String}, {@link Integer}, {@link Long},
 * {@link BigInteger}, {@link Double}, {@link Boolean}, {@code null}; a repeated key keeps its last value), without
 * Jackson's generic machinery: QMP's small replies cost a fraction of a databind round. It keeps Jackson's default
 * limits against hostile input: nesting at most 1,000 deep, numbers at most 1,000 characters; and it refuses what
 * is not UTF-8 ({@link Utf8}) where Vert.x's {@code new String(bytes, UTF_8)} would put U+FFFD without a word.
 */
public final class JsonReader extends JsonScanner {

  static final int MAX_DEPTH = 1000;
  static final int MAX_NUMBER_LENGTH = 1000;

  private int depth;
  private boolean first;

  private JsonReader(byte[] bytes, int from, int to) {
    super(bytes, from, to);
  }

  /** The JSON object in {@code bytes[from, to)}. @throws QmpProtocolException when it is not exactly one object */
  public static JsonObject object(byte[] bytes, int from, int to) {
    JsonReader r = new JsonReader(bytes, from, to);
    r.skipSpace();
    if (r.pos >= r.end || r.b[r.pos] != '{') {
      throw r.error("expected an object");
    }
    JsonObject o = r.readObject();
    r.skipSpace();
    if (r.pos != r.end) {
      throw r.error("unexpected data after the object");
    }
    return o;
  }

  /** A reader of the object in {@code bytes[from, to)} member by member ({@link #open}, {@link #nextKey}, {@link #nextValue}). */
  static JsonReader over(byte[] bytes, int from, int to) {
    return new JsonReader(bytes, from, to);
  }

  /** Opens the top-level object: the same checks as {@link #object}, without a map of its own. */
  void open() {
    skipSpace();
    if (pos >= end || b[pos] != '{') {
      throw error("expected an object");
    }
    enter();
    pos++;
    first = true;
  }

  /** The next member's name (its value follows: {@link #nextValue}); null once the object ended and nothing follows. */
  String nextKey() {
    if (first) {
      first = false;
      if (consume('}')) {
        return finish();
      }
    } else if (!consume(',')) {
      expect('}');
      return finish();
    }
    return memberName();
  }

  Object nextValue() {
    return readValue();
  }

  private String finish() {
    depth--;
    skipSpace();
    if (pos != end) {
      throw error("unexpected data after the object");
    }
    return null;
  }

  private Object readValue() {
    skipSpace();
    if (pos >= end) {
      throw error("unexpected end");
    }
    byte c = b[pos];
    return switch (c) {
      case '{' -> readObject();
      case '[' -> readArray();
      case '"' -> readString();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield readNumber();
        }
        throw error("unexpected character");
      }
    };
  }

  private JsonObject readObject() {
    enter();
    // QMP objects are small: a table of 8 holds 6 members before it grows (the default 16 is allocated at once)
    LinkedHashMap<String, Object> map = new LinkedHashMap<>(8);
    pos++;
    if (!consume('}')) {
      do {
        map.put(memberName(), readValue());
      } while (consume(','));
      expect('}');
    }
    depth--;
    return new JsonObject(map);
  }

  private JsonArray readArray() {
    enter();
    ArrayList<Object> list = new ArrayList<>();
    pos++;
    if (!consume(']')) {
      do {
        list.add(readValue());
      } while (consume(','));
      expect(']');
    }
    depth--;
    return new JsonArray(list);
  }

  /** A member name; short ASCII names come from {@link JsonKeys}. */
  private String readKey() {
    int start = pos + 1;
    int hash = 0;
    int i = start;
    for (; i < end && i - start <= JsonKeys.MAX_LENGTH; i++) {
      byte c = b[i];
      if (c == '"') {
        break;
      }
      if (c == '\\' || c < 0x20) {
        return readString();
      }
      hash = 31 * hash + c;
    }
    if (i >= end || b[i] != '"') {
      return readString();
    }
    String cached = JsonKeys.find(b, start, i - start, hash);
    if (cached != null) {
      pos = i + 1;
      return cached;
    }
    String key = readString();
    JsonKeys.remember(hash, key);
    return key;
  }

  private Object readNumber() {
    int start = pos;
    boolean integral = true;
    if (b[pos] == '-') {
      pos++;
    }
    int digits = digits();
    if (digits == 0 || (digits > 1 && b[pos - digits] == '0')) {
      throw error("bad number");
    }
    if (pos < end && b[pos] == '.') {
      pos++;
      integral = false;
      if (digits() == 0) {
        throw error("bad number");
      }
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      pos++;
      integral = false;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      if (digits() == 0) {
        throw error("bad number");
      }
    }
    if (pos - start > MAX_NUMBER_LENGTH) {
      throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
    }
    if (integral && digits <= 18) {
      // at most 18 digits fit a long: the value straight from the bytes (ids, sizes), no text in between
      long v = 0;
      for (int i = pos - digits; i < pos; i++) {
        v = v * 10 + (b[i] - '0');
      }
      v = b[start] == '-' ? -v : v;
      return v == (int) v ? (Object) (int) v : (Object) v;
    }
    String text = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
    if (!integral) {
      return Double.parseDouble(text);
    }
    BigInteger big = new BigInteger(text);
    return big.bitLength() < 64 ? (Object) big.longValue() : big;
  }

  private int digits() {
    int n = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
      n++;
    }
    return n;
  }

  private Object literal(String word, Object value) {
    for (int i = 0; i < word.length(); i++) {
      if (pos + i >= end || b[pos + i] != word.charAt(i)) {
        throw error("bad literal");
      }
    }
    pos += word.length();
    return value;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
  }


  /** A member's name and its colon, after any space: the name, the cursor on its value. */
  private String memberName() {
    skipSpace();
    if (pos >= end || b[pos] != '"') {
      throw error("expected a member name");
    }
    String key = readKey();
    skipSpace();
    expect(':');
    return key;
  }
}

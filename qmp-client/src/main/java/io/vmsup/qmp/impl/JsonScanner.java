package io.vmsup.qmp.impl;

import io.vmsup.qmp.QmpProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * The byte level of {@link JsonReader}: a position in one frame's bytes, white space, expected characters and strings
 * (escapes decoded; invalid UTF-8 refused through {@link Utf8}, where Vert.x's decoder would put U+FFFD).
 */
abstract class JsonScanner {

  private static final String SIMPLE_ESCAPES = "\"\\/bfnrt";
  private static final String SIMPLE_VALUES = "\"\\/\b\f\n\r\t";

  final byte[] b;
  final int end;
  int pos;

  JsonScanner(byte[] bytes, int from, int to) {
    this.b = bytes;
    this.pos = from;
    this.end = to;
  }

  /** Skips white space, then takes {@code c} if it comes next. */
  boolean consume(char c) {
    skipSpace();
    if (pos < end && b[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  String readString() {
    int start = ++pos;
    while (pos < end) {
      byte c = b[pos];
      if (c == '"') {
        return new String(b, start, pos++ - start, StandardCharsets.ISO_8859_1);
      }
      if (c == '\\' || c < 0x20) {
        break; // c < 0x20 also catches every byte >= 0x80 (negative): UTF-8, decoded on the slow path
      }
      pos++;
    }
    pos = start;
    return readStringSlow();
  }

  String readStringSlow() {
    StringBuilder sb = new StringBuilder();
    int run = pos;
    while (pos < end) {
      byte c = b[pos];
      if (c == '"') {
        sb.append(new String(b, run, pos - run, StandardCharsets.UTF_8));
        pos++;
        return sb.toString();
      }
      if (c >= 0 && c < 0x20) {
        throw error("control character in a string");
      }
      if (c == '\\') {
        sb.append(new String(b, run, pos - run, StandardCharsets.UTF_8));
        sb.append(escape());
        run = pos;
      } else {
        pos += c >= 0 ? 1 : Utf8.length(b, pos, end); // refused as Jackson does, never decoded into U+FFFD
      }
    }
    throw error("unterminated string");
  }

  char escape() {
    if (pos + 1 >= end) {
      throw error("unterminated escape");
    }
    byte e = b[pos + 1];
    pos += 2;
    int simple = SIMPLE_ESCAPES.indexOf(e);
    if (simple >= 0) {
      return SIMPLE_VALUES.charAt(simple);
    }
    if (e != 'u') {
      throw error("bad escape");
    }
    if (pos + 4 > end) {
      throw error("short \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(b[pos++], 16);
      if (d < 0) {
        throw error("bad \\u escape");
      }
      v = v * 16 + d;
    }
    return (char) v;
  }

  void expect(char c) {
    if (pos >= end || b[pos] != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  void skipSpace() {
    while (pos < end && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
      pos++;
    }
  }

  QmpProtocolException error(String what) {
    return new QmpProtocolException("not valid JSON: " + what + " at byte " + pos);
  }
}

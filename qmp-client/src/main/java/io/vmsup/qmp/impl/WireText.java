package io.vmsup.qmp.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpUnsendableException;
import java.util.List;
import java.util.Map;

/**
 * The strings QEMU's JSON parser refuses with an error that carries no id, which ends the connection: half of a
 * surrogate pair (Java strings may hold one; the JSON encoder writes it as {@code \uD800}, and QEMU 7.2 answers
 * "not a valid Unicode character"). Such a command is refused before it is written. Commands without arguments cost
 * one scan of their name.
 */
final class WireText {

  private WireText() {
  }

  /** The refusal for {@code command}, or null when every string of it can be sent. */
  static QmpUnsendableException check(QmpCommand<?> command) {
    String name = command.name();
    String why = problem(name);
    if (why != null) {
      return new QmpUnsendableException(name, "execute", why);
    }
    return command.arguments() == null ? null : walk(name, "arguments", command.arguments());
  }

  private static QmpUnsendableException walk(String name, String path, Object value) {
    if (value instanceof JsonObject o) {
      value = o.getMap();
    } else if (value instanceof JsonArray a) {
      value = a.getList();
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        String why = problem(key);
        if (why != null) {
          return new QmpUnsendableException(name, path + " (a member name)", why);
        }
        QmpUnsendableException inner = walk(name, path + "." + key, e.getValue());
        if (inner != null) {
          return inner;
        }
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        QmpUnsendableException inner = walk(name, path + "[" + i + "]", list.get(i));
        if (inner != null) {
          return inner;
        }
      }
    } else if (value instanceof CharSequence s) {
      String why = problem(s);
      return why == null ? null : new QmpUnsendableException(name, path, why);
    }
    return null;
  }

  // null when QEMU's parser takes every character of s
  private static String problem(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "holds half of a surrogate pair (U+" + Integer.toHexString(c).toUpperCase() + ") at character " + i;
      }
    }
    return null;
  }
}

package io.vmsup.supervisor.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * JSON values as YAML block style for {@code --output yaml}. A string is written plain when YAML reads it back as the
 * same string, otherwise as a double-quoted scalar with JSON escapes (which YAML's double-quoted style shares).
 */
final class YamlWriter {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./+-]*");
  private static final Pattern RESERVED = Pattern.compile(
      "(?i)y|n|yes|no|on|off|true|false|null|~|\\.inf|\\.nan|-?\\.inf");

  private YamlWriter() {
  }

  static String write(Object value) {
    StringBuilder b = new StringBuilder();
    if (value instanceof JsonObject || value instanceof JsonArray) {
      block(b, value, 0);
    } else {
      b.append(scalar(value)).append('\n');
    }
    return b.toString();
  }

  private static void block(StringBuilder b, Object value, int indent) {
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> e : object) {
        b.append(" ".repeat(indent)).append(scalar(e.getKey())).append(':');
        child(b, e.getValue(), indent + 2);
      }
    } else if (value instanceof JsonArray array) {
      for (Object item : array) {
        b.append(" ".repeat(indent)).append('-');
        child(b, item, indent + 2);
      }
    }
  }

  private static void child(StringBuilder b, Object value, int indent) {
    if (value instanceof JsonObject o && !o.isEmpty() || value instanceof JsonArray a && !a.isEmpty()) {
      b.append('\n');
      block(b, value, indent);
    } else {
      b.append(' ').append(scalar(value)).append('\n');
    }
  }

  static String scalar(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonObject) {
      return "{}";
    }
    if (value instanceof JsonArray) {
      return "[]";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    String s = value.toString();
    if (PLAIN.matcher(s).matches() && !RESERVED.matcher(s).matches()) {
      return s;
    }
    return io.vertx.core.json.Json.encode(s);
  }
}

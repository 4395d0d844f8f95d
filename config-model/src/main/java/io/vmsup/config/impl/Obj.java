package io.vmsup.config.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsup.config.Size;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * A JSON object being read: typed getters that report type errors with the field's path, remember which fields
 * were asked for, and {@link #end()} rejects the rest naming the allowed ones.
 */
final class Obj {

  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final TreeSet<String> known = new TreeSet<>();

  private Obj(JsonNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** The object at {@code path}, or empty (and a violation) when the node is not an object. */
  static Optional<Obj> of(JsonNode node, String path, Problems problems) {
    if (!node.isObject()) {
      problems.add(path, "must be an object, not " + type(node));
      return Optional.empty();
    }
    return Optional.of(new Obj(node, path, problems));
  }

  Problems problems() {
    return problems;
  }

  String path() {
    return path;
  }

  /** The path of a field of this object. */
  String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Every field of this object, for maps with free keys (each counts as known). */
  Iterator<java.util.Map.Entry<String, JsonNode>> fields() {
    node.fieldNames().forEachRemaining(known::add);
    return node.fields();
  }

  boolean has(String key) {
    known.add(key);
    return node.has(key);
  }

  Optional<String> optString(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    return text(node.get(key), at(key));
  }

  /** A required string; {@code ""} (and a violation) when missing or mistyped. */
  String string(String key) {
    if (!has(key)) {
      problems.add(at(key), "is required");
      return "";
    }
    return text(node.get(key), at(key)).orElse("");
  }

  Optional<String> text(JsonNode value, String where) {
    if (!value.isTextual()) {
      problems.add(where, "must be a string, not " + type(value));
      return Optional.empty();
    }
    String s = value.textValue();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        problems.add(where, "must not contain control characters (found U+%04X)".formatted((int) c));
        return Optional.empty();
      }
    }
    return Optional.of(s);
  }

  boolean bool(String key, boolean fallback) {
    return optBool(key).orElse(fallback);
  }

  Optional<Boolean> optBool(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.isBoolean()) {
      problems.add(at(key), "must be true or false, not " + type(v));
      return Optional.empty();
    }
    return Optional.of(v.booleanValue());
  }

  OptionalLong optLong(String key, long min, long max) {
    if (!has(key)) {
      return OptionalLong.empty();
    }
    return number(node.get(key), at(key), min, max);
  }

  OptionalInt optInt(String key, int min, int max) {
    OptionalLong v = optLong(key, min, max);
    return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
  }

  int integer(String key, int fallback, int min, int max) {
    return optInt(key, min, max).orElse(fallback);
  }

  OptionalLong number(JsonNode v, String where, long min, long max) {
    if (!v.isNumber()) {
      problems.add(where, "must be an integer from " + min + " to " + max + ", not " + type(v));
      return OptionalLong.empty();
    }
    OptionalLong whole = Numbers.whole(v, where, problems, "must be from " + min + " to " + max);
    if (whole.isEmpty()) {
      return whole;
    }
    long n = whole.getAsLong();
    if (n < min || n > max) {
      problems.add(where, "must be from " + min + " to " + max + ", not " + n);
      return OptionalLong.empty();
    }
    return OptionalLong.of(n);
  }

  /** A number, decimals allowed, from {@code min} to {@code max}. */
  Optional<BigDecimal> optDecimal(String key, BigDecimal min, BigDecimal max) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    String range = "must be a number from " + min.toPlainString() + " to " + max.toPlainString();
    if (!v.isNumber()) {
      problems.add(at(key), range + ", not " + type(v));
      return Optional.empty();
    }
    BigDecimal d = v.decimalValue();
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problems.add(at(key), range + ", not " + (d.abs().compareTo(BigDecimal.valueOf(1e9)) > 0 ? v.asText()
          : d.toPlainString()));
      return Optional.empty();
    }
    return Optional.of(d);
  }

  List<Integer> intList(String key, int min, int max) {
    List<Integer> out = new ArrayList<>();
    for (Elem e : list(key)) {
      number(e.node(), e.path(), min, max).ifPresent(n -> out.add((int) n));
    }
    return out;
  }

  /** A size: bytes as a JSON integer, or a string like {@code "512M"}, {@code "2G"}, {@code "4096"}. */
  Optional<Size> optSize(String key) {
    return has(key) ? Units.size(node.get(key), at(key), problems) : Optional.empty();
  }

  /** A duration: a string like {@code "500ms"}, {@code "30s"}, {@code "2m"}, {@code "1h"}. */
  Optional<Duration> optDuration(String key) {
    return optString(key).flatMap(s -> Units.duration(s, at(key), problems));
  }

  /** An enum by its JSON name: the constant in lower case with {@code -} for {@code _}. */
  <E extends Enum<E>> Optional<E> optEnum(String key, Class<E> type) {
    Optional<String> s = optString(key);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String name = ArgvRenderer.lower(e);
      if (name.equals(s.get())) {
        return Optional.of(e);
      }
      allowed.add("\"" + name + "\"");
    }
    problems.add(at(key), "must be one of " + String.join(", ", allowed) + ", not \"" + s.get() + "\"");
    return Optional.empty();
  }

  <E extends Enum<E>> E enumOf(String key, Class<E> type, E fallback) {
    return optEnum(key, type).orElse(fallback);
  }

  Optional<Obj> optObj(String key) {
    return has(key) ? of(node.get(key), at(key), problems) : Optional.empty();
  }

  /** The raw value of a field, marked as known (for maps whose keys are data, such as {@code machine.options}). */
  Optional<JsonNode> raw(String key) {
    return has(key) ? Optional.of(node.get(key)) : Optional.empty();
  }

  /** The elements of an array field (empty when absent or not an array, with a violation for the latter). */
  List<Elem> list(String key) {
    if (!has(key)) {
      return List.of();
    }
    JsonNode v = node.get(key);
    if (!v.isArray()) {
      problems.add(at(key), "must be an array, not " + type(v));
      return List.of();
    }
    List<Elem> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(new Elem(v.get(i), at(key) + "[" + i + "]", i));
    }
    return out;
  }

  /** Rejects every field that no getter asked for. */
  void end() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        problems.add(at(name), "unknown field; allowed: " + String.join(", ", known));
      }
    }
  }

  static String type(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case STRING -> "a string";
      default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** A value as an error message shows it: a string quoted, anything else by its type. */
  static String describe(JsonNode v) {
    return v.isTextual() ? "\"" + v.textValue() + "\"" : type(v);
  }

  /** One array element with its path and index. */
  record Elem(JsonNode node, String path, int index) {
  }
}

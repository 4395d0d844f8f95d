package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A schema of the OpenAPI document compiled into a direct check, for the few keywords the edge's hot requests use
 * (a path parameter's {@code "type": "string"}, a QMP command's object of strings and objects): it only ever
 * <em>accepts</em> a value the document's validator (vertx-json-schema) accepts too, and answers false whenever it is
 * not sure, so the validator runs and writes the violations. A schema with any other keyword (or a reference outside
 * the document) does not compile: its values always go to the validator. The document stays the one source of every
 * check; this only skips the validator's per-call work (output units, keyword dispatch) for values it would accept.
 */
final class FastSchema {

  /** Keywords that never change what is valid (annotations), plus the schema repository's own annotations. */
  private static final Set<String> ANNOTATIONS = Set.of("description", "example", "examples", "title", "default");

  private final String type;
  private final int minLength;
  private final int maxLength;
  private final List<String> required;
  private final Map<String, FastSchema> properties;
  /** null: no additional property allowed; otherwise each one's schema ({@link #ANY} for {@code true}). */
  private final FastSchema additional;

  private static final FastSchema ANY = new FastSchema(null, 0, Integer.MAX_VALUE, List.of(), Map.of(), null);

  private FastSchema(String type, int minLength, int maxLength, List<String> required,
      Map<String, FastSchema> properties, FastSchema additional) {
    this.type = type;
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.required = required;
    this.properties = properties;
    this.additional = additional;
  }

  /** The compiled schema, or null when it uses anything this class does not check exactly. */
  static FastSchema compile(JsonObject root, JsonObject schema) {
    try {
      return of(root, schema, 0);
    } catch (RuntimeException e) {
      return null; // an odd value for a known keyword: the validator judges
    }
  }

  private static FastSchema of(JsonObject root, JsonObject given, int depth) {
    JsonObject schema = ContractOperation.resolve(root, given);
    if (schema == null || depth > 8 || schema.containsKey("$ref")) {
      return null;
    }
    String type = null;
    int min = 0;
    int max = Integer.MAX_VALUE;
    List<String> required = List.of();
    Map<String, FastSchema> props = new HashMap<>();
    FastSchema additional = ANY;
    for (String key : schema.fieldNames()) {
      Object v = schema.getValue(key);
      switch (key) {
        case "type" -> type = (String) v;
        case "minLength" -> min = (Integer) v;
        case "maxLength" -> max = (Integer) v;
        case "required" -> required = schema.getJsonArray(key).stream().map(String.class::cast).toList();
        case "properties" -> {
          for (String p : schema.getJsonObject(key).fieldNames()) {
            FastSchema f = of(root, schema.getJsonObject(key).getJsonObject(p), depth + 1);
            if (f == null) {
              return null;
            }
            props.put(p, f);
          }
        }
        case "additionalProperties" -> additional = v instanceof Boolean b ? (b ? ANY : null)
            : of(root, (JsonObject) v, depth + 1);
        default -> {
          if (!ANNOTATIONS.contains(key) && !key.startsWith("__")) {
            return null;
          }
        }
      }
    }
    if (type == null ? !props.isEmpty() || !required.isEmpty() || min != 0 || max != Integer.MAX_VALUE
        || additional != ANY : !Set.of("string", "object", "boolean").contains(type)) {
      return null;
    }
    if (!"string".equals(type) && (min != 0 || max != Integer.MAX_VALUE)
        || !"object".equals(type) && (!props.isEmpty() || !required.isEmpty() || additional != ANY)) {
      return null;
    }
    return type == null ? ANY : new FastSchema(type, min, max, required, Map.copyOf(props), additional);
  }

  /** True only when the document's validator accepts {@code value} too; false: ask the validator. */
  boolean accepts(Object value) {
    if (type == null) {
      return true;
    }
    return switch (type) {
      // a length in code points is never above the length in chars: both bounds hold either way they are counted
      case "string" -> value instanceof String s && s.codePointCount(0, s.length()) >= minLength
          && s.length() <= maxLength;
      case "boolean" -> value instanceof Boolean;
      case "object" -> value instanceof JsonObject j ? fields(j.getMap())
          : value instanceof Map<?, ?> m && fields(m);
      default -> false;
    };
  }

  private boolean fields(Map<?, ?> map) {
    for (String r : required) {
      if (!map.containsKey(r)) {
        return false;
      }
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      FastSchema f = e.getKey() instanceof String k ? properties.get(k) : null;
      FastSchema check = f != null ? f : additional;
      if (check == null || !check.accepts(e.getValue())) {
        return false;
      }
    }
    return true;
  }
}

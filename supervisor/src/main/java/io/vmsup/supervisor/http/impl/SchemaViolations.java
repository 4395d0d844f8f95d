package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema validator's verdict ({@link OutputUnit}, basic format) in plain words: one {@code {path, message}} per
 * leaf error, with config-model's path style ({@code devices[0].file}), the wrappers ("a subschema had errors")
 * dropped, and of the alternatives of an {@code anyOf} only the closest one (fewest errors).
 */
final class SchemaViolations {

  private static final Set<String> WRAPPERS = Set.of("$ref", "properties", "items", "prefixItems", "allOf", "if",
      "then", "else", "anyOf", "oneOf", "$dynamicRef", "patternProperties", "dependentSchemas");
  private static final Pattern TYPE = Pattern.compile("Instance type (\\S+) is invalid\\. Expected (.+)");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
  private static final Pattern BRANCH = Pattern.compile("^(.*?/(?:anyOf|oneOf)/)(\\d+)(/.*)?$");

  private SchemaViolations() {
  }

  /** The violations of a failed validation; {@code prefix} goes before every path (a parameter's name). */
  static JsonArray of(OutputUnit result, SchemaRepository schemas, String prefix) {
    List<OutputUnit> errors = result.getErrors() == null || result.getErrors().isEmpty() ? List.of(result)
        : result.getErrors();
    Set<String> failedDeclared = new java.util.HashSet<>();
    for (OutputUnit e : errors) {
      if (keyword(e).equals("properties")) {
        failedDeclared.add(e.getInstanceLocation());
      }
    }
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (OutputUnit e : closest(errors)) {
      String keyword = keyword(e);
      if (WRAPPERS.contains(keyword) && errors.size() > 1) {
        continue;
      }
      if (keyword.equals("additionalProperties") && failedDeclared.contains(e.getInstanceLocation())) {
        continue; // a declared property that failed its own schema, not an unknown one
      }
      JsonObject v = violation(e, keyword, schemas, prefix);
      out.putIfAbsent(v.getString("path") + "\n" + v.getString("message"), v);
    }
    return new JsonArray(new ArrayList<>(out.values()));
  }

  // of each anyOf/oneOf whose alternatives all failed, keep the errors of the alternative with the fewest leaf errors
  private static List<OutputUnit> closest(List<OutputUnit> errors) {
    Map<String, Map<Integer, Integer>> counts = new TreeMap<>();
    for (OutputUnit e : errors) {
      Matcher m = BRANCH.matcher(e.getKeywordLocation());
      if (m.matches() && m.group(3) != null && !WRAPPERS.contains(keyword(e))) {
        counts.computeIfAbsent(m.group(1), k -> new TreeMap<>()).merge(Integer.parseInt(m.group(2)), 1, Integer::sum);
      }
    }
    List<OutputUnit> kept = new ArrayList<>();
    for (OutputUnit e : errors) {
      Matcher m = BRANCH.matcher(e.getKeywordLocation());
      if (m.matches() && m.group(3) != null && counts.containsKey(m.group(1))) {
        Map<Integer, Integer> c = counts.get(m.group(1));
        int best = c.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        if (Integer.parseInt(m.group(2)) != best) {
          continue;
        }
      }
      kept.add(e);
    }
    return kept;
  }

  private static JsonObject violation(OutputUnit e, String keyword, SchemaRepository schemas, String prefix) {
    String path = join(prefix, path(e.getInstanceLocation()));
    JsonSchema at = schemaOf(e, schemas);
    String error = String.valueOf(e.getError());
    String message;
    switch (keyword) {
      case "additionalProperties" -> message = "unknown field" + allowed(at);
      case "required" -> {
        Matcher q = QUOTED.matcher(error);
        path = join(path, q.find() ? q.group(1) : "?");
        message = "is required";
      }
      case "type" -> {
        Matcher t = TYPE.matcher(error);
        message = t.matches() ? "must be " + article(t.group(2)) + ", not " + article(t.group(1)) : error;
      }
      case "enum" -> message = "must be one of " + (at == null ? "the listed values"
          : at.<Object>get("enum").toString());
      case "const" -> message = "must be " + (at == null ? "the given value" : String.valueOf((Object) at.get("const")));
      case "minimum" -> message = "must be at least " + limit(error) + given(error);
      case "maximum" -> message = "must be at most " + limit(error) + given(error);
      case "exclusiveMinimum" -> message = "must be more than " + limit(error) + given(error);
      case "exclusiveMaximum" -> message = "must be less than " + limit(error) + given(error);
      case "minLength" -> message = "must be at least " + value(at, "minLength") + " characters long";
      case "maxLength" -> message = "must be at most " + value(at, "maxLength") + " characters long";
      case "pattern" -> message = at != null && at.get("description") != null ? "must be " + at.<String>get(
          "description") : "must match the pattern " + value(at, "pattern");
      default -> message = error;
    }
    return new JsonObject().put("path", path).put("message", message);
  }

  private static String allowed(JsonSchema at) {
    if (at == null) {
      return "";
    }
    JsonObject properties = at.<Object>get("properties") instanceof JsonObject p ? p : new JsonObject();
    return properties.isEmpty() ? " (this takes no fields)" : "; allowed: " + String.join(", ",
        new java.util.TreeSet<>(properties.fieldNames()));
  }

  // the library's "<value> is less than [or equal to] <limit>": the limit
  private static String limit(String error) {
    int than = error.lastIndexOf(" than ");
    return than < 0 ? "the limit" : error.substring(than + 6).replace("or equal to ", "");
  }

  // the library's "<value> is less than <limit>": the value as the caller wrote it
  private static String given(String error) {
    int is = error.indexOf(" is ");
    if (is <= 0) {
      return "";
    }
    java.math.BigDecimal v = new java.math.BigDecimal(error.substring(0, is));
    return v.abs().compareTo(WholeNumbers.HUGE) >= 0 ? ", not a number that large" : ", not " + v.toPlainString();
  }

  private static String value(JsonSchema at, String key) {
    return at == null ? "the limit" : String.valueOf((Object) at.get(key));
  }

  // the schema the failing keyword belongs to, when the repository knows its absolute location
  private static JsonSchema schemaOf(OutputUnit e, SchemaRepository schemas) {
    String location = e.getAbsoluteKeywordLocation();
    int slash = location == null ? -1 : location.lastIndexOf('/');
    if (slash < 0 || !location.contains("#")) {
      return null;
    }
    try {
      return schemas.find(location.substring(0, slash));
    } catch (RuntimeException unknown) {
      return null;
    }
  }

  private static String keyword(OutputUnit e) {
    String k = e.getKeywordLocation();
    return k == null ? "" : k.substring(k.lastIndexOf('/') + 1);
  }

  private static String article(String type) {
    return switch (type.replace("[", "").replace("]", "")) {
      case "object" -> "an object";
      case "array" -> "an array";
      case "integer" -> "an integer";
      case "null" -> "null";
      default -> "a " + type;
    };
  }

  /** A JSON pointer ({@code /devices/0/file}) in config-model's path style ({@code devices[0].file}). */
  static String path(String pointer) {
    if (pointer == null || pointer.isEmpty() || pointer.equals("#") || pointer.equals("#/")) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String token : pointer.replaceFirst("^#?/", "").split("/", -1)) {
      String name = token.replace("~1", "/").replace("~0", "~");
      if (name.matches("[0-9]+")) {
        out.append('[').append(name).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(name);
      }
    }
    return out.toString();
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : b.startsWith("[") ? a + b : a + "." + b;
  }
}

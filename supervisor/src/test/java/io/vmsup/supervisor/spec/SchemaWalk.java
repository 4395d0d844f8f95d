package io.vmsup.supervisor.spec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Every closed object ({@code additionalProperties: false}) the VM spec schema describes, with where it sits in a
 * spec: the steps from the root, including the {@code kind} that selects a branch of {@code devices}. From a
 * location the walk builds the smallest spec that puts a given object there, to ask config-model about it.
 */
final class SchemaWalk {

  /** One step from the root to an object. */
  sealed interface Step {
  }

  /** Into a field. */
  record Field(String name) implements Step {
  }

  /** Into the first element of an array. */
  record Index() implements Step {
  }

  /** The current object is the branch whose {@code field} is {@code value} ({@code kind: "disk"}). */
  record Branch(String field, String value) implements Step {
  }

  /** A closed object of the schema: where it is, its schema, and the schema pointer it came from. */
  record Closed(List<Step> steps, JsonObject schema, String pointer) {

    /** config-model's path of the object: {@code devices[0]}, {@code machine}; "" for the root. */
    String path() {
      StringBuilder out = new StringBuilder();
      for (Step s : steps) {
        if (s instanceof Field f) {
          out.append(out.length() == 0 ? "" : ".").append(f.name());
        } else if (s instanceof Index) {
          out.append("[0]");
        }
      }
      return out.toString();
    }

    /** The path of a field of the object. */
    String at(String field) {
      return path().isEmpty() ? field : path() + "." + field;
    }

    /** Where a reader finds it: the path with the branch, e.g. {@code devices[].kind=disk}. */
    String where() {
      StringBuilder out = new StringBuilder();
      for (Step s : steps) {
        if (s instanceof Field f) {
          out.append(out.length() == 0 ? "" : ".").append(f.name());
        } else if (s instanceof Index) {
          out.append("[]");
        } else if (s instanceof Branch b) {
          out.append("{").append(b.field()).append('=').append(b.value()).append('}');
        }
      }
      return out.length() == 0 ? "(the top level)" : out.toString();
    }

    /** A spec with {@code object} at this location (plus the branch fields and a name). */
    JsonObject specWith(JsonObject object) {
      Object value = object;
      for (int i = steps.size() - 1; i >= 0; i--) {
        Step s = steps.get(i);
        if (s instanceof Branch b) {
          ((JsonObject) value).put(b.field(), b.value());
        } else if (s instanceof Index) {
          value = new JsonArray().add(value);
        } else if (s instanceof Field f) {
          value = new JsonObject().put(f.name(), value);
        }
      }
      JsonObject spec = (JsonObject) value;
      if (!steps.isEmpty() && !spec.containsKey("name")) {
        spec.put("name", "probe");
      }
      return spec;
    }
  }

  private final JsonObject root;
  private final List<Closed> found = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private SchemaWalk(JsonObject root) {
    this.root = root;
  }

  static SchemaWalk of(JsonObject schema) {
    SchemaWalk walk = new SchemaWalk(schema);
    walk.visit(schema, "#", List.of(), 0);
    return walk;
  }

  List<Closed> closed() {
    return found;
  }

  /** Objects with properties that neither close nor declare a map: each one is a hole in the contract. */
  List<String> problems() {
    return problems;
  }

  private void visit(JsonObject node, String pointer, List<Step> steps, int depth) {
    if (depth > 20) {
      throw new AssertionError("the schema nests deeper than 20 levels at " + pointer + " (a recursive $ref?)");
    }
    if (node.containsKey("$ref")) {
      String ref = node.getString("$ref");
      visit(resolve(ref, pointer), ref, steps, depth + 1);
    }
    JsonObject properties = node.getJsonObject("properties");
    if (properties != null) {
      Object additional = node.getValue("additionalProperties");
      if (Boolean.FALSE.equals(additional)) {
        found.add(new Closed(steps, node, pointer));
      } else if (!(additional instanceof JsonObject) && node.getJsonArray("allOf") == null) {
        problems.add(pointer + ": an object with \"properties\" must say \"additionalProperties\": false (config-model"
            + " refuses unknown fields)");
      }
      for (String name : properties.fieldNames()) {
        visit(properties.getJsonObject(name), pointer + "/properties/" + name, plus(steps, new Field(name)), depth + 1);
      }
    }
    if (node.getValue("items") instanceof JsonObject items) {
      visit(items, pointer + "/items", plus(steps, new Index()), depth + 1);
    }
    if (node.getValue("additionalProperties") instanceof JsonObject map) {
      visit(map, pointer + "/additionalProperties", plus(steps, new Field("key")), depth + 1);
    }
    for (String combinator : List.of("anyOf", "oneOf")) {
      JsonArray options = node.getJsonArray(combinator);
      for (int i = 0; options != null && i < options.size(); i++) {
        visit(options.getJsonObject(i), pointer + "/" + combinator + "/" + i, steps, depth + 1);
      }
    }
    branches(node, pointer, steps, depth);
  }

  // allOf: [{if: {properties: {kind: {const: "disk"}}}, then: {...}}] selects a branch by one field's value
  private void branches(JsonObject node, String pointer, List<Step> steps, int depth) {
    JsonArray all = node.getJsonArray("allOf");
    for (int i = 0; all != null && i < all.size(); i++) {
      JsonObject part = all.getJsonObject(i);
      JsonObject when = part.getJsonObject("if");
      JsonObject then = part.getJsonObject("then");
      if (when == null || then == null || when.getJsonObject("properties") == null) {
        visit(part, pointer + "/allOf/" + i, steps, depth + 1);
        continue;
      }
      JsonObject conditions = when.getJsonObject("properties");
      for (String field : conditions.fieldNames()) {
        Object value = conditions.getJsonObject(field).getValue("const");
        if (value instanceof String s) {
          visit(then, pointer + "/allOf/" + i + "/then", plus(steps, new Branch(field, s)), depth + 1);
        }
      }
    }
  }

  private JsonObject resolve(String ref, String from) {
    if (!ref.startsWith("#/")) {
      throw new AssertionError(from + ": only references inside the schema (#/$defs/...) are supported, not " + ref);
    }
    Object node = root;
    for (String token : ref.substring(2).split("/")) {
      node = node instanceof JsonObject o ? o.getValue(token.replace("~1", "/").replace("~0", "~")) : null;
    }
    if (!(node instanceof JsonObject o)) {
      throw new AssertionError(from + ": $ref " + ref + " points nowhere");
    }
    return o;
  }

  private static List<Step> plus(List<Step> steps, Step step) {
    List<Step> out = new ArrayList<>(steps);
    out.add(step);
    return List.copyOf(out);
  }
}

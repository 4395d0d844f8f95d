package io.vmsup.supervisor.spec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Structurally broken copies of a valid spec: an unknown field in every object, every value replaced by one of
 * another JSON type, every field removed. One mutant per place and kind of break: the same field of the same device
 * kind in another spec adds nothing.
 */
final class SpecMutants {

  /** One broken copy: what was done, where (config-model's path), and the spec. */
  record Mutant(String what, String path, JsonObject spec) {
  }

  private final Map<String, Mutant> byPlace = new LinkedHashMap<>();

  /** Adds the mutants of one valid spec. */
  SpecMutants add(JsonObject valid) {
    walk(valid, valid, "", "", new ArrayList<>());
    return this;
  }

  List<Mutant> all() {
    return List.copyOf(byPlace.values());
  }

  // place: the path with each array index replaced by the element's kind (devices[disk].file)
  private void walk(JsonObject root, JsonObject object, String path, String place, List<Object> pointer) {
    put("an unknown field", at(path, "zzUnknown"), place + ".+", mutate(root, pointer, o -> ((JsonObject) o)
        .put("zzUnknown", 1)));
    for (String field : object.fieldNames()) {
      List<Object> to = plus(pointer, field);
      Object value = object.getValue(field);
      put("no " + field, at(path, field), place + ".-" + field, mutate(root, pointer,
          o -> ((JsonObject) o).remove(field)));
      put("a value of another type", at(path, field), place + "." + field, replace(root, to, value));
      descend(root, value, at(path, field), place + "." + field, to);
    }
  }

  private void descend(JsonObject root, Object value, String path, String place, List<Object> pointer) {
    if (value instanceof JsonObject o) {
      walk(root, o, path, place, pointer);
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        Object e = a.getValue(i);
        String kind = e instanceof JsonObject o && o.getValue("kind") instanceof String k ? k : "";
        List<Object> to = plus(pointer, i);
        put("a value of another type", path + "[" + i + "]", place + "[" + kind + "]", replace(root, to, e));
        descend(root, e, path + "[" + i + "]", place + "[" + kind + "]", to);
      }
    }
  }

  private void put(String what, String path, String place, JsonObject spec) {
    byPlace.putIfAbsent(place, new Mutant(what, path, spec));
  }

  // a scalar becomes an array, an array a string, an object a number: never a type the field takes
  private static JsonObject replace(JsonObject root, List<Object> pointer, Object value) {
    Object other = value instanceof JsonArray ? "x" : value instanceof JsonObject ? (Object) 7 : new JsonArray();
    List<Object> parent = pointer.subList(0, pointer.size() - 1);
    Object key = pointer.get(pointer.size() - 1);
    return mutate(root, parent, o -> {
      if (o instanceof JsonObject obj) {
        obj.put((String) key, other);
      } else {
        ((JsonArray) o).set((Integer) key, other);
      }
    });
  }

  private static JsonObject mutate(JsonObject root, List<Object> pointer, java.util.function.Consumer<Object> change) {
    JsonObject copy = root.copy();
    Object node = copy;
    for (Object step : pointer) {
      node = step instanceof String s ? ((JsonObject) node).getValue(s) : ((JsonArray) node).getValue((Integer) step);
    }
    change.accept(node);
    return copy;
  }

  private static String at(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static List<Object> plus(List<Object> pointer, Object step) {
    List<Object> out = new ArrayList<>(pointer);
    out.add(step);
    return out;
  }
}

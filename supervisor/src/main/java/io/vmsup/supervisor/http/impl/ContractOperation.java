package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of the OpenAPI document: its id, method, path template, parameters and request body media types.
 *
 * @param id           the {@code operationId}
 * @param method       lower case, as in the document
 * @param path         the path template
 * @param params       path-level parameters, replaced by operation-level ones of the same name and place
 * @param body         request body schemas by media type; empty when the operation takes no body
 * @param bodyRequired whether a body must be sent
 * @param responses    the documented responses by status ({@code 200}, {@code 4XX}, {@code default})
 */
record ContractOperation(String id, String method, Template path, List<Param> params, Map<String, JsonObject> body,
    boolean bodyRequired, JsonObject responses) {

  /**
   * A parameter: {@code in} is {@code path}, {@code query} or {@code header}; {@code key} names its schema's validator
   * (operation, place, name), made once rather than per request.
   */
  record Param(String name, String in, boolean required, JsonObject schema, String key) {
  }

  /**
   * A path template such as {@code /v1/vms/{name}/devices/{id}}: its pattern (one group per variable), its variables'
   * names in order, and its number of {@code /} (a path with another number cannot match: no regex run for it).
   */
  record Template(String template, Pattern pattern, int variables, List<String> names, int slashes) {

    static Template of(String template) {
      StringBuilder regex = new StringBuilder();
      Matcher m = Pattern.compile("\\{([^}/]+)}").matcher(template);
      int last = 0;
      List<String> names = new ArrayList<>();
      while (m.find()) {
        regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
        last = m.end();
        names.add(m.group(1));
      }
      regex.append(Pattern.quote(template.substring(last)));
      return new Template(template, Pattern.compile(regex.toString()), names.size(), List.copyOf(names),
          slashes(template));
    }

    // a variable is always a whole segment (no template mixes text and a variable in one): the pattern's literal
    // parts and "([^/]+)" match exactly what a walk over the segments matches, without a regex per request
    boolean matches(String path) {
      return slashes(path) == slashes && segment(path, -1) != null;
    }

    /** The value of variable {@code name} in {@code path}, or null when the path does not match or has no such one. */
    String variable(String path, String name) {
      int i = names.indexOf(name);
      return i < 0 || slashes(path) != slashes ? null : segment(path, i);
    }

    /** Walks {@code path} against the template: the value of variable {@code wanted} ("" for -1), or null. */
    private String segment(String path, int wanted) {
      String found = "";
      int at = 0;
      int variable = 0;
      int t = 0;
      while (t < template.length()) {
        if (template.charAt(t) == '{') {
          int end = path.indexOf('/', at);
          end = end < 0 ? path.length() : end;
          if (end == at) {
            return null;
          }
          if (variable++ == wanted) {
            found = path.substring(at, end);
          }
          at = end;
          t = template.indexOf('}', t) + 1;
        } else if (at < path.length() && path.charAt(at) == template.charAt(t)) {
          at++;
          t++;
        } else {
          return null;
        }
      }
      return at == path.length() ? found : null;
    }

    private static int slashes(String s) {
      int n = 0;
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == '/') {
          n++;
        }
      }
      return n;
    }
  }

  static ContractOperation of(JsonObject root, String template, String method, JsonObject item,
      JsonObject op) {
    Map<String, Param> params = new LinkedHashMap<>();
    for (JsonArray list : new JsonArray[] {item.getJsonArray("parameters"), op.getJsonArray("parameters")}) {
      for (int i = 0; list != null && i < list.size(); i++) {
        Param p = param(op.getString("operationId", method + " " + template), resolve(root, list.getJsonObject(i)));
        params.put(p.in() + ":" + p.name(), p);
      }
    }
    Map<String, JsonObject> body = new LinkedHashMap<>();
    JsonObject request = Optional.ofNullable(op.getJsonObject("requestBody")).map(r -> resolve(root, r))
        .orElse(null);
    if (request != null) {
      JsonObject content = request.getJsonObject("content", new JsonObject());
      for (String type : content.fieldNames()) {
        if (type.startsWith("__")) {
          continue; // the schema repository's annotations
        }
        body.put(type, content.getJsonObject(type).getJsonObject("schema", new JsonObject()));
      }
    }
    return new ContractOperation(op.getString("operationId", method + " " + template), method,
        Template.of(template), List.copyOf(new ArrayList<>(params.values())), Map.copyOf(body),
        request != null && request.getBoolean("required", false), op.getJsonObject("responses", new JsonObject()));
  }

  /** The parameters of one place ({@code query}, {@code header}, {@code path}). */
  List<Param> params(String in) {
    return params.stream().filter(p -> p.in().equals(in)).toList();
  }

  private static Param param(String operation, JsonObject p) {
    return new Param(p.getString("name"), p.getString("in"), p.getBoolean("required", false),
        p.getJsonObject("schema", new JsonObject()), operation + " " + p.getString("in") + " " + p.getString("name"));
  }

  /** A documented response (a reference resolved), or null when the status is not documented. */
  JsonObject response(JsonObject root, int status) {
    for (String key : new String[] {Integer.toString(status), status / 100 + "XX", "default"}) {
      if (responses.getValue(key) instanceof JsonObject r) {
        return resolve(root, r);
      }
    }
    return null;
  }

  // parameters and request bodies may be references to components (of the annotated copy: its schemas know their
  // references' absolute URIs)
  static JsonObject resolve(JsonObject root, JsonObject node) {
    String ref = node.getString("$ref");
    if (ref == null || !ref.startsWith("#/")) {
      return node;
    }
    Object at = root;
    for (String token : ref.substring(2).split("/")) {
      at = ((JsonObject) at).getValue(token.replace("~1", "/").replace("~0", "~"));
    }
    return (JsonObject) at;
  }
}

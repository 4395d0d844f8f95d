package io.vmsup.supervisor.http.impl;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vmsup.config.StrictJson;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks an HTTP response against the OpenAPI document ({@code docs/openapi.json}): its status is documented for
 * the operation, its media type is one the response lists, its body matches that schema, and a 404/405 for a path
 * or method the document does not name is a problem (405 with the right {@code Allow}). The HTTP tests send every
 * response they get through here, so a reply the document does not describe fails the test that saw it.
 */
public final class ResponseContract {

  private ResponseContract() {
  }

  /**
   * @param uri         the request URI (a query is ignored)
   * @param contentType the response's {@code Content-Type}, or null
   * @param allow       the response's {@code Allow}, or null
   * @throws AssertionError naming the operation, the status and what does not match
   */
  public static void check(String method, String uri, int status, String contentType, String allow, String body) {
    ApiContract contract = ApiContract.get();
    String path = uri.split("\\?", 2)[0];
    String what = method + " " + uri + " answered " + status;
    ContractOperation op = contract.find(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), path).orElse(null);
    JsonObject response;
    if (op == null) {
      Set<String> methods = contract.methodsAt(path);
      if (status == 404 && methods.isEmpty()) {
        response = contract.annotated().getJsonObject("components").getJsonObject("responses").getJsonObject("NoRoute");
      } else if (status == 405 && !methods.isEmpty()) {
        if (allow != null && !allow.equals(String.join(", ", methods))) {
          throw new AssertionError(what + " with Allow: " + allow + "; the document names " + methods);
        }
        response = contract.annotated().getJsonObject("components").getJsonObject("responses")
            .getJsonObject("MethodNotAllowed");
      } else if (status == 429 || status == 413 || status == 401) {
        return; // the edge guard's and the body limit's answers come before any route: checked by their own tests
      } else {
        throw new AssertionError(what + " but docs/openapi.json has no operation " + method + " " + path);
      }
    } else {
      response = op.response(contract.annotated(), status);
      if (response == null) {
        throw new AssertionError(what + ", a status docs/openapi.json does not document for " + op.id()
            + " (documented: " + op.responses().fieldNames().stream().filter(k -> !k.startsWith("__")).toList()
            + "); body: " + body);
      }
    }
    content(contract, what, response, contentType, body);
  }

  private static void content(ApiContract contract, String what, JsonObject response, String contentType,
      String body) {
    JsonObject content = response.getJsonObject("content");
    if (content == null || content.isEmpty()) {
      if (body != null && !body.isEmpty()) {
        throw new AssertionError(what + " with a body, but the document describes none: " + body);
      }
      return;
    }
    String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!(content.getValue(type) instanceof JsonObject media)) {
      throw new AssertionError(what + " as " + contentType + "; the document lists " + content.fieldNames().stream()
          .filter(k -> !k.startsWith("__")).toList());
    }
    if (type.equals("text/event-stream") || media.getJsonObject("schema") == null) {
      return; // a stream: its events are checked where they are read
    }
    Object value = type.endsWith("json") ? json(what, body) : body;
    OutputUnit result = contract.schemas().validator(JsonSchema.of(media.getJsonObject("schema"))).validate(value);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw new AssertionError(what + " with a body docs/openapi.json does not describe: " + SchemaViolations.of(
          result, contract.schemas(), "").encode() + "\nbody: " + body);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object json(String what, String body) {
    try {
      Object v = StrictJson.parse(body);
      return v instanceof Map<?, ?> m ? new JsonObject((Map<String, Object>) m) : v instanceof List<?> l
          ? new JsonArray(l) : v;
    } catch (RuntimeException e) {
      throw new AssertionError(what + " with a body that is not JSON (" + e.getMessage() + "): " + body);
    }
  }
}

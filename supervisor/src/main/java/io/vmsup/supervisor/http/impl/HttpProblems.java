package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.http.Problem;

/** Problems that arise in the HTTP layer itself, before any event-bus request. */
final class HttpProblems {

  private HttpProblems() {
  }

  static Problem unauthorized() {
    return new Problem(401, "UNAUTHORIZED", "Missing or wrong bearer token",
        "send 'Authorization: Bearer <token>'; the token is in <state-dir>/token", null);
  }

  static Problem noRoute(String method, String path) {
    return new Problem(404, "NOT_FOUND", "Not found", "no route for " + method + " " + path, null);
  }

  static Problem methodNotAllowed(String method, String path) {
    return new Problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", method + " is not allowed on " + path, null);
  }

  static Problem tooLarge(long limit) {
    return new Problem(413, "TOO_LARGE", "Request body too large", "the limit is " + limit + " bytes", null);
  }

  static Problem badBody(String path, String message) {
    JsonArray violations = new JsonArray().add(new JsonObject().put("path", path).put("message", message));
    return new Problem(400, "INVALID", "Invalid request", message, violations);
  }

  /** Every violation of a request, each {@code {path, message}}; the detail names the first few. */
  static Problem invalid(JsonArray violations) {
    StringBuilder detail = new StringBuilder();
    for (int i = 0; i < violations.size() && i < 5; i++) {
      JsonObject v = violations.getJsonObject(i);
      String path = v.getString("path", "");
      detail.append(i == 0 ? "" : "; ").append(path.isEmpty() ? "" : path + ": ").append(v.getString("message"));
    }
    if (violations.size() > 5) {
      detail.append("; and ").append(violations.size() - 5).append(" more");
    }
    return new Problem(400, "INVALID", "Invalid request", detail.toString(), violations);
  }

  static Problem unsupportedMediaType(java.util.Collection<String> accepted) {
    return new Problem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "send "
        + String.join(" or ", accepted), null);
  }
}

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

  static Problem unsupportedMediaType() {
    return new Problem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "send application/json", null);
  }
}

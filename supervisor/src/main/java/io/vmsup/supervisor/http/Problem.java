package io.vmsup.supervisor.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param status the HTTP status
 * @param code a stable machine-readable code ({@code INVALID}, {@code NOT_FOUND}, {@code UNAUTHORIZED}...)
 * @param title a short summary that does not change between occurrences
 * @param detail what went wrong this time
 * @param violations every spec violation ({@code [{path, message}]}), or {@code null}
 * @param extensions further members of the failure (the VM's {@code state}, what could not be written, ...), or
 *                   {@code null}; they never replace the members above
 */
public record Problem(int status, String code, String title, String detail, JsonArray violations,
    JsonObject extensions) {

  /** A problem without extension members. */
  public Problem(int status, String code, String title, String detail, JsonArray violations) {
    this(status, code, title, detail, violations, null);
  }

  /** The media type of a problem body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** The problem as JSON; {@code instance} is the request path. */
  public JsonObject toJson(String instance) {
    JsonObject json = extensions == null ? new JsonObject() : extensions.copy();
    json
        .put("type", "urn:vmsup:problem:" + code.toLowerCase().replace('_', '-'))
        .put("title", title)
        .put("status", status)
        .put("code", code);
    if (detail != null) {
      json.put("detail", detail);
    }
    if (instance != null) {
      json.put("instance", instance);
    }
    if (violations != null) {
      json.put("violations", violations);
    }
    return json;
  }
}

package io.vmsup.supervisor.http.impl;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.http.Problem;

/**
 * The one place where event-bus failures become HTTP problems: the failure code → {@link ErrorCode} → status (the
 * enum's number), and the failure body's {@code message}/{@code violations} → problem fields.
 */
final class ProblemMapper {

  private ProblemMapper() {
  }

  /** The HTTP status of a bus failure code: the code's number is defined as that status ({@link ErrorCode}). */
  static int status(ErrorCode code) {
    return code.code();
  }

  /** Maps the failure of an event-bus request. */
  static Problem fromBusFailure(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return internal(String.valueOf(failure.getMessage()));
    }
    switch (reply.failureType()) {
      case NO_HANDLERS:
        return problem(ErrorCode.UNAVAILABLE, "the supervisor is not running", null);
      case TIMEOUT:
        return problem(ErrorCode.UNAVAILABLE, "the supervisor did not answer in time", null);
      default:
        break;
    }
    JsonObject body = parse(reply.getMessage());
    ErrorCode code = ErrorCode.of(reply.failureCode());
    String detail = body != null ? body.getString("message", reply.getMessage()) : reply.getMessage();
    JsonArray violations = body != null ? body.getJsonArray("violations") : null;
    JsonObject extensions = null;
    if (body != null) {
      // the failure's structured members (state, what could not be written, exit code, log tail) stay in the reply
      extensions = body.copy();
      for (String standard : new String[] {"code", "error", "message", "violations"}) {
        extensions.remove(standard);
      }
    }
    return new Problem(status(code), code.name(), title(code), detail, violations,
        extensions == null || extensions.isEmpty() ? null : extensions);
  }

  static Problem problem(ErrorCode code, String detail, JsonArray violations) {
    return new Problem(status(code), code.name(), title(code), detail, violations);
  }

  static Problem internal(String detail) {
    return problem(ErrorCode.INTERNAL, detail, null);
  }

  private static String title(ErrorCode code) {
    return switch (code) {
      case INVALID -> "Invalid request";
      case FORBIDDEN -> "Forbidden";
      case NOT_FOUND -> "Not found";
      case CONFLICT -> "Conflict with the VM's state";
      case UNAVAILABLE -> "Service unavailable";
      case NOT_PERSISTED -> "The VM's state could not be written to disk";
      case INTERNAL -> "Internal error";
      case UNAUTHORIZED -> "Unauthorized";
    };
  }

  private static JsonObject parse(String message) {
    if (message == null || !message.startsWith("{")) {
      return null;
    }
    try {
      return new JsonObject(message);
    } catch (DecodeException e) {
      return null;
    }
  }
}

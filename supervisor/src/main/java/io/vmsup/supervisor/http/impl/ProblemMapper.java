package io.vmsup.supervisor.http.impl;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
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

  /**
   * Maps the failure of an event-bus request, decoded by the one decoder ({@link VmException#fromReply}); a failure
   * that is not a reply or a {@link VmException} is INTERNAL.
   */
  static Problem fromBusFailure(Throwable failure) {
    VmException e;
    if (failure instanceof ReplyException reply) {
      e = VmException.fromReply(reply);
    } else if (failure instanceof VmException v) {
      e = v;
    } else {
      return internal(String.valueOf(failure.getMessage()));
    }
    // the failure's structured members (state, what could not be written, exit code, log tail) stay in the reply
    JsonObject extensions = e.details();
    JsonArray violations = extensions.remove("violations") instanceof JsonArray v ? v : null;
    return new Problem(status(e.code()), e.code().name(), title(e.code()), e.getMessage(), violations,
        extensions.isEmpty() ? null : extensions);
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
      case PRECONDITION_FAILED -> "Precondition failed";
      case TOO_LARGE -> "Request too large";
    };
  }
}

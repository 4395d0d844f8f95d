package io.vmsup.supervisor.api;

import io.vertx.core.VertxException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The one failure type of the supervisor: an {@link ErrorCode}, a message, and structured details (violations, VM
 * state, exit code, QEMU log tail, QMP error class) that become members of the failure body. Carries no stack trace:
 * these are expected failures.
 *
 * <p>On the event bus a failure travels as {@code Message.fail(code, body)} where the body is the JSON text of
 * {@link #toJson()}: {@code {"code":400,"error":"invalid","message":"...","violations":[{"path","message"}]}}.
 */
public final class VmException extends VertxException {

  /** How Vert.x's failure for a request dropped unread (its consumer unregistered meanwhile) begins. */
  private static final String DISCARDED = "Discarded";

  private final ErrorCode code;
  private final JsonObject details;

  public VmException(ErrorCode code, String message) {
    this(code, message, new JsonObject());
  }

  public VmException(ErrorCode code, String message, JsonObject details) {
    super(message, true);
    this.code = code;
    this.details = details;
  }

  public ErrorCode code() {
    return code;
  }

  /** Extra members of the failure body (a copy). */
  public JsonObject details() {
    return details.copy();
  }

  /** The failure body: {@code code}, {@code error}, {@code message} and the details. */
  public JsonObject toJson() {
    JsonObject body = new JsonObject()
        .put("code", code.code())
        .put("error", code.label())
        .put("message", getMessage());
    details.forEach(e -> body.put(e.getKey(), e.getValue()));
    return body;
  }

  /** Answers a request with this failure. */
  public void failReply(Message<?> message) {
    message.fail(code.code(), toJson().encode());
  }

  /** An INVALID failure listing violations given as {@code {"path","message"}} objects. */
  public static VmException invalid(String message, JsonArray violations) {
    return new VmException(ErrorCode.INVALID, message, new JsonObject().put("violations", violations));
  }

  /** Wraps any throwable: a VmException stays itself, anything else becomes INTERNAL. */
  public static VmException wrap(Throwable t) {
    if (t instanceof VmException e) {
      return e;
    }
    if (t instanceof ReplyException r) {
      return fromReply(r);
    }
    return new VmException(ErrorCode.INTERNAL, String.valueOf(t.getMessage()),
        new JsonObject().put("cause", t.getClass().getSimpleName()));
  }

  /**
   * The one decoder of a failed event-bus request, for every reader (the HTTP edge, the registry, the audit gate,
   * Java callers): the failure code is the {@link ErrorCode}, the failure body's {@code message} the message and its
   * other members the details. A body that is not a JSON object is the message as it is. No reply at all (a timeout
   * of the event bus itself, or no handler) is UNAVAILABLE; a timeout also says {@code "effect": "unknown"} (the
   * request may have been carried out: only its caller stopped waiting), unless the request was dropped unread.
   */
  public static VmException fromReply(ReplyException r) {
    switch (r.failureType()) {
      case TIMEOUT:
        if (r.getMessage() != null && r.getMessage().startsWith(DISCARDED)) {
          // Vert.x's answer for a request whose consumer went before reading it: it did not run
          return new VmException(ErrorCode.UNAVAILABLE, "the request was dropped unread (" + r.getMessage() + ")");
        }
        // a QMP command may have been sent meanwhile (a command timeout longer than the caller's wait): never "failed"
        return new VmException(ErrorCode.UNAVAILABLE, "the supervisor did not answer in time (" + r.getMessage()
            + "); whether it took effect is unknown", new JsonObject().put("effect", "unknown"));
      case NO_HANDLERS:
        return new VmException(ErrorCode.UNAVAILABLE, "the supervisor is not running (" + r.getMessage() + ")");
      default:
        break;
    }
    ErrorCode code = ErrorCode.of(r.failureCode());
    String text = r.getMessage();
    JsonObject body = text == null || !text.startsWith("{") ? null : parse(text);
    if (body == null) {
      return new VmException(code, String.valueOf(text));
    }
    JsonObject details = body.copy();
    details.remove("code");
    details.remove("error");
    details.remove("message");
    return new VmException(code, body.getValue("message") instanceof String m ? m : text, details);
  }

  private static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException notAnObject) {
      return null;
    }
  }
}

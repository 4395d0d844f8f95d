package io.vmsup.client;

import io.vertx.core.VertxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The one failure of every {@link VmsupClient} call: an {@link ErrorCode}, the daemon's message, and the failure
 * body's other members ({@code violations}, {@code state}, {@code exitCode}, {@code logTail}, {@code qmpClass}, ...;
 * see docs/event-bus-api.md). Carries no stack trace: these are expected outcomes.
 */
public final class VmsupException extends VertxException {

  private final ErrorCode code;
  private final int wireCode;
  private final JsonObject details;

  /**
   * @param code the code
   * @param wireCode the numeric code as received (differs from {@code code.code()} only for a code this client does
   *     not know, which becomes {@link ErrorCode#INTERNAL})
   * @param message the daemon's message
   * @param details the failure body's members other than code, error and message
   */
  public VmsupException(ErrorCode code, int wireCode, String message, JsonObject details) {
    super(message, true);
    this.code = code;
    this.wireCode = wireCode;
    this.details = details == null ? new JsonObject() : details.copy();
  }

  /** A failure found on the client's side (no reply, a reply it cannot read). */
  public VmsupException(ErrorCode code, String message) {
    this(code, code.code(), message, new JsonObject());
  }

  public ErrorCode code() {
    return code;
  }

  /** The numeric failure code as it came over the bus. */
  public int wireCode() {
    return wireCode;
  }

  /** The failure body's other members (a copy). */
  public JsonObject details() {
    return details.copy();
  }

  /** The VM's state when the failure names one ({@code CONFLICT}, a failed start), else null. */
  public String state() {
    return details.getValue("state") instanceof String s ? s : null;
  }

  /** Every violation of an {@code INVALID} failure; empty for other failures. */
  public List<Violation> violations() {
    List<Violation> out = new ArrayList<>();
    if (details.getValue("violations") instanceof JsonArray all) {
      for (Object o : all) {
        if (o instanceof JsonObject v) {
          out.add(new Violation(v.getString("path", ""), v.getString("message", "")));
        }
      }
    }
    return out;
  }

  /** One problem of an invalid request: its JSON path and what is wrong there. */
  public record Violation(String path, String message) {
  }
}

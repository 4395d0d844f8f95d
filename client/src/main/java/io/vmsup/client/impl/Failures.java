package io.vmsup.client.impl;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vmsup.client.ErrorCode;
import io.vmsup.client.VmsupException;

/** Whatever a request failed with → the one {@link VmsupException}. */
final class Failures {

  private Failures() {
  }

  static VmsupException of(String address, Throwable t) {
    if (t instanceof VmsupException e) {
      return e;
    }
    if (t instanceof ReplyException r) {
      return ofReply(address, r);
    }
    if (t instanceof Fields.BadReply b) {
      return new VmsupException(ErrorCode.INTERNAL, "unreadable reply from " + address + ": " + b.getMessage());
    }
    return new VmsupException(ErrorCode.INTERNAL, address + " failed: " + t);
  }

  /**
   * The daemon fails a request with {@code fail(code, json)} where the JSON is {@code {"code","error","message",
   * ...details}}; a bus timeout or a missing consumer is UNAVAILABLE; a failure text that is not JSON keeps its code.
   */
  static VmsupException ofReply(String address, ReplyException r) {
    switch (r.failureType()) {
      case TIMEOUT:
        if (r.getMessage() != null && r.getMessage().startsWith("Discarded")) {
          // dropped unread (its consumer went meanwhile): it did not run
          return new VmsupException(ErrorCode.UNAVAILABLE, "no reply from " + address + ": " + r.getMessage());
        }
        // the daemon may have carried it out (a QMP command sent): only this caller stopped waiting
        return new VmsupException(ErrorCode.UNAVAILABLE, ErrorCode.UNAVAILABLE.code(), "no reply from " + address
            + " in time: " + r.getMessage() + "; whether it took effect is unknown",
            new JsonObject().put("effect", "unknown"));
      case NO_HANDLERS:
        return new VmsupException(ErrorCode.UNAVAILABLE, "no vmsup daemon answers " + address + ": "
            + r.getMessage());
      default:
        break;
    }
    String text = r.getMessage();
    JsonObject body = null;
    try {
      body = text == null ? null : new JsonObject(text);
    } catch (DecodeException | ClassCastException notJson) {
      body = null;
    }
    if (body == null) {
      return new VmsupException(ErrorCode.of(null, r.failureCode()), r.failureCode(), String.valueOf(text),
          new JsonObject());
    }
    JsonObject details = body.copy();
    details.remove("code");
    details.remove("error");
    details.remove("message");
    Object label = body.getValue("error");
    Object message = body.getValue("message");
    return new VmsupException(ErrorCode.of(label instanceof String s ? s : null, r.failureCode()),
        r.failureCode(), message instanceof String m ? m : text, details);
  }
}

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
        return new VmsupException(ErrorCode.UNAVAILABLE, "no reply from " + address + " in time: " + r.getMessage());
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

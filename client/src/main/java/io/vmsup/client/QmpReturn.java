package io.vmsup.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * QEMU's answer to a pass-through command: the {@code return} value as QEMU sent it (an object, an array, or
 * another JSON value).
 */
public record QmpReturn(Object value) {

  /** The value as an object (most commands); an empty object for {@code {}}; fails when it is not an object. */
  public JsonObject asObject() {
    if (value instanceof JsonObject o) {
      return o;
    }
    throw new IllegalStateException("QMP returned " + describe() + ", not an object");
  }

  /** The value as an array ({@code query-cpus-fast}, ...); fails when it is not an array. */
  public JsonArray asArray() {
    if (value instanceof JsonArray a) {
      return a;
    }
    throw new IllegalStateException("QMP returned " + describe() + ", not an array");
  }

  private String describe() {
    return value == null ? "null" : value.getClass().getSimpleName();
  }
}

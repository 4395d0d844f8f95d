package io.vmsup.supervisor.console.impl;

import io.vertx.core.json.JsonObject;

/**
 * One line of a serial log: its text (without the line end) and the file offset of its first byte.
 */
record ConsoleLine(String line, long offset) {

  JsonObject toJson() {
    return new JsonObject().put("line", line).put("offset", offset);
  }
}

package io.vmsup.qmp.impl;

import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpGreeting;

/** One decoded message from the server. */
public sealed interface ServerMessage {

  /** {@code {"QMP": ...}}, the first message of every connection. */
  record Greeting(QmpGreeting greeting) implements ServerMessage {
  }

  /**
   * {@code {"return": VALUE, "id": ID}}; {@code id} is {@code null} when absent, {@link MessageDecoder#FOREIGN_ID}
   * when it is not a positive integer (none of ours).
   */
  record Return(Long id, Object value) implements ServerMessage {
  }

  /** {@code {"error": {"class": C, "desc": D}, "id": ID}}; {@code id} as in {@link Return}. */
  record Error(Long id, String errorClass, String desc) implements ServerMessage {
  }

  /** {@code {"event": NAME, ...}}. */
  record Event(QmpEvent event) implements ServerMessage {
  }
}

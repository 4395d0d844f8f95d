package io.vmsup.supervisor.api;

import java.util.Locale;

/**
 * What a token may do. {@link #READ}: get, list, events, metrics, console read. {@link #ADMIN}: everything.
 * Transports stamp the caller's scope on every event-bus message in the {@value #HEADER} header (and the transport in
 * {@value #TRANSPORT_HEADER}), overwriting whatever a client sent; the bus refuses a read-scoped mutating request.
 */
public enum Scope {
  READ, ADMIN;

  /** Message header carrying the caller's scope on the event bus. */
  public static final String HEADER = "vmsup-scope";
  /** Message header naming the transport a request came through ({@code http}, {@code sockjs}). */
  public static final String TRANSPORT_HEADER = "vmsup-transport";

  /** {@code read} or {@code admin}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope for {@code read}/{@code admin}, or null. */
  public static Scope parse(String text) {
    for (Scope s : values()) {
      if (s.json().equals(text == null ? null : text.trim())) {
        return s;
      }
    }
    return null;
  }
}

package io.vmsup.supervisor.api;

/**
 * A request header for {@link Addresses#LIST} (a header name, not an address): with any value the reply is the same
 * {@code {"vms":[view...]}} as JSON text in a {@code Buffer} (the HTTP API's body as is, the views encoded once each
 * instead of once per list).
 */
public final class ListEncoded {

  /** The header's name. */
  public static final String HEADER = "list-encoded";

  private ListEncoded() {
  }
}

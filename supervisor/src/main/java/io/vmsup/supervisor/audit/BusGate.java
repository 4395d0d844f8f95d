package io.vmsup.supervisor.audit;

import io.vertx.core.Vertx;
import io.vmsup.supervisor.audit.impl.BusGateImpl;

/**
 * The event bus's own check of token scopes, for every transport at once (HTTP, the SockJS bridge, and later ones):
 * an inbound interceptor that refuses a mutating request ({@code vmsup.vm.*} but {@code get}, {@code list},
 * {@code console.read}) whose {@code vmsup-scope} header says {@code read} with FORBIDDEN (403), and writes an
 * {@link AuditLog} record for every mutating request with its outcome (taken from the reply as it is delivered).
 * A message without the header comes from inside the daemon's JVM (no transport stamps it so) and is audited as
 * scope {@code internal}. A request's {@code pending} record is in the file before its handler runs; for the QMP
 * pass-through on a single host its write begins as the request is sent (an outbound interceptor), on the sender's own
 * thread when that thread may block, so the receiver seldom waits for the audit thread.
 */
public interface BusGate {

  /** Installs the gate on {@code vertx}'s event bus. */
  static BusGate install(Vertx vertx, AuditLog audit) {
    return BusGateImpl.install(vertx, audit);
  }

  /** Whether a request to this address changes something (and so needs the admin scope and is audited). */
  static boolean mutating(String address) {
    return BusGateImpl.mutating(address);
  }

  /** Removes the gate. */
  void uninstall();
}

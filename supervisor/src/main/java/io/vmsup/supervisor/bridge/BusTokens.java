package io.vmsup.supervisor.bridge;

import io.vertx.core.Vertx;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.bridge.impl.BusTokenGate;
import io.vmsup.supervisor.http.Tokens;

/**
 * The token check for services that send on the event bus itself (the Java client {@code vmsup-client}, in the
 * daemon's JVM or joined to its clustered bus): an inbound interceptor that takes a request's {@value #HEADER}
 * header ({@code Bearer <token>}), removes it, and stamps the scope that token grants ({@code vmsup-scope}) with the
 * transport {@code eventbus}, replacing whatever scope or transport the sender wrote, so that {@code BusGate} applies
 * the scope. A token that matches neither the admin nor the read-only token, or more than one such header, is
 * refused with UNAUTHORIZED (401) and the message is not delivered. A message without the header is left as it is
 * (sent inside the daemon's JVM, or stamped by a transport). Install before {@code BusGate}: interceptors run in the
 * order they were added.
 */
public interface BusTokens {

  /** The message header that carries the token, as the Java client sends it. */
  String HEADER = "authorization";

  /**
   * Installs the check on {@code vertx}'s event bus for every {@code vmsup.} address; a refused mutating request is
   * written to {@code audit} (outcome {@code unauthorized}, scope {@code none}).
   */
  static BusTokens install(Vertx vertx, Tokens tokens, AuditLog audit) {
    return BusTokenGate.install(vertx, tokens, audit);
  }

  /** Removes the check. */
  void uninstall();
}

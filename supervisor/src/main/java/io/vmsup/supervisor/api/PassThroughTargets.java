package io.vmsup.supervisor.api;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * The VMs whose actor holds its own pass-through address ({@link Addresses#passThrough}) in one daemon's Vert.x
 * instance, readable from any thread without a lock: the actor marks its VM once that address is registered and clears
 * it before the address goes away (the actor's stop). The bus gate reads it to know, when a request is sent, that the
 * address has a handler, so the request's {@code pending} audit record can be written while the request travels (a
 * request to an address without a handler is never delivered and must leave no record).
 */
public final class PassThroughTargets {

  private static final String MAP = "vmsup.passThroughTargets";

  private PassThroughTargets() {
  }

  /** The live set of {@code vertx}: VM name → {@code true}; read it, never write it outside this class. */
  public static LocalMap<String, Boolean> of(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** The actor of {@code vm} holds its pass-through address from now on. */
  public static void mark(Vertx vertx, String vm) {
    of(vertx).put(vm, Boolean.TRUE);
  }

  /** The actor of {@code vm} is about to give its pass-through address up. */
  public static void clear(Vertx vertx, String vm) {
    of(vertx).remove(vm);
  }

  /** The VM a pass-through address names, or null for any other address. */
  public static String vmOf(String address) {
    String prefix = Addresses.passThrough("");
    return address != null && address.startsWith(prefix) ? address.substring(prefix.length()) : null;
  }
}

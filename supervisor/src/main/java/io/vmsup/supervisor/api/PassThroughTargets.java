package io.vmsup.supervisor.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The VMs whose actor holds its own pass-through address ({@link Addresses#passThrough}) in one daemon's Vert.x
 * instance, readable from any thread without a lock: the actor marks its VM once that address is registered and
 * releases it first thing in its stop, keeping the address until {@link #release} completes. The bus gate {@link
 * #enter enters} a VM's hold to know, when a request is sent, that the address has a handler, so the request's {@code
 * pending} audit record can be written while the request travels: while a sender is entered (from its look to the
 * request's hand-over to the bus, which finds the handler at once) the release does not complete, so a request whose
 * record was begun always reaches the handler's queue, never "no handler" (a request to an address without a handler
 * is never delivered and must leave no record).
 */
public final class PassThroughTargets {

  private static final String MAP = "vmsup.passThroughTargets";

  /** One actor's hold on its address: the senders between their look and their send. */
  private static final class Hold implements Shareable {
    private final AtomicInteger senders = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean released;

    // volatile write then read on each side (the sender: count, then released; the actor: released, then count):
    // either the sender sees the release and backs off, or the release sees the sender and waits for its exit
    boolean enter() {
      senders.incrementAndGet();
      if (released) {
        exit();
        return false;
      }
      return true;
    }

    void exit() {
      if (senders.decrementAndGet() == 0 && released) {
        drained.complete(null);
      }
    }

    void release() {
      released = true;
      if (senders.get() == 0) {
        drained.complete(null);
      }
    }
  }

  private PassThroughTargets() {
  }

  private static LocalMap<String, Hold> of(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** The actor of {@code vm} holds its pass-through address from now on. */
  public static void mark(Vertx vertx, String vm) {
    of(vertx).put(vm, new Hold());
  }

  /**
   * The actor of {@code vm} is about to give its pass-through address up: no sender enters from now on; the future
   * completes (on the caller's context) once no sender that entered before is still on its way to the bus. Keep the
   * address until then.
   */
  public static Future<Void> release(Vertx vertx, String vm) {
    Hold hold = of(vertx).remove(vm);
    if (hold == null) {
      return Future.succeededFuture();
    }
    hold.release();
    if (hold.drained.isDone()) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(hold.drained, vertx.getOrCreateContext());
  }

  /**
   * A sender's look at {@code vm}'s address: null when its actor does not hold it; else the address keeps its handler
   * until the action returned is run, which the sender must do (once) right after handing its request to the bus.
   */
  public static Runnable enter(Vertx vertx, String vm) {
    Hold hold = of(vertx).get(vm);
    return hold != null && hold.enter() ? hold::exit : null;
  }

  /** The VM a pass-through address names, or null for any other address. */
  public static String vmOf(String address) {
    String prefix = Addresses.passThrough("");
    return address != null && address.startsWith(prefix) ? address.substring(prefix.length()) : null;
  }
}

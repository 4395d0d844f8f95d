package io.vmsup.supervisor.fence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vmsup.supervisor.fence.impl.FenceLeaseImpl;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The daemon's side of fencing: it starts the host's {@link Watchdog} (or finds the one a previous daemon left
 * running) and renews the lease every {@link FenceSettings#renewEvery()} with the relocatable VMs that have a QEMU.
 * A daemon that is killed, frozen, or whose event loop is stuck renews nothing, and the watchdog fences. A fleet
 * makes the renewal depend on the member's standing ({@link #gate}): a member cut off from the cluster stops
 * renewing and its watchdog fences, while the others relocate the VMs after {@code fenceAfter} plus a margin.
 */
public interface FenceLease {

  /** Name of the watchdog's socket in {@code <state>/fence/}. */
  String SOCKET = "watchdog.sock";

  /**
   * Starts the watchdog when none answers on {@code <stateDir>/fence/watchdog.sock} and begins renewing.
   *
   * @param victims the relocatable VMs with a QEMU now; called on the event loop, must not block
   */
  static Future<FenceLease> start(Vertx vertx, FenceSettings settings, Path stateDir, Supplier<List<Victim>> victims) {
    return FenceLeaseImpl.start(vertx, settings, stateDir, victims);
  }

  /**
   * Renewals happen only while {@code standing} says true (default: always). A fleet passes whether this member is
   * still part of the cluster; the first false renewal skipped is logged.
   */
  void gate(BooleanSupplier standing);

  /** Renewals the watchdog acknowledged so far. */
  long acknowledged();

  /**
   * Stops renewing. With {@code release} (no relocatable VM left running) the watchdog ends without fencing;
   * otherwise it fences once the lease runs out, unless a daemon renews it before.
   */
  Future<Void> stop(boolean release);
}

package io.vmsup.supervisor.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.api.FleetHooks;
import io.vmsup.supervisor.cluster.impl.ClusterVertx;
import io.vmsup.supervisor.cluster.impl.FleetImpl;
import io.vmsup.supervisor.cluster.impl.SingleHost;

/**
 * This daemon as a member of a fleet: several daemons on one clustered event bus (Hazelcast membership, event bus
 * over mutual TLS). Each host keeps its own VMs and state store; the fleet adds a directory of names (name → owning
 * host, generation), a table of hosts, and a router on the plain {@code vmsup.vm.*} addresses that forwards each
 * request to the owner's {@code vmsup.host.<id>.vm.*}. See {@code docs/fleet.md}.
 *
 * <p>Order of use: {@link #clusteredVertx}, {@link #join} (before the supervisor starts: it needs the hooks),
 * {@link #serve} (once the supervisor runs), {@link #leave}.
 */
public interface Fleet {

  /**
   * Builds a clustered Vert.x that joins the cluster the settings describe.
   *
   * @return a future failed when the certificates are missing or the membership layer cannot start (port taken)
   */
  static Future<Vertx> clusteredVertx(ClusterSettings settings, VertxBuilder builder, VertxOptions options) {
    return ClusterVertx.build(settings, builder, options);
  }

  /**
   * Takes this daemon's host id (waiting up to the failure-detection time for a member that just died to be
   * declared lost) and opens the fleet's shared maps.
   *
   * @param fenceAfter this host's fencing lease ({@code --fence on}), null without a watchdog: published to the
   *     others, who relocate this host's relocatable VMs only after it (never without one)
   * @return a future failed with a {@link io.vmsup.supervisor.api.VmException} CONFLICT while a live member holds
   *     the host id
   */
  static Future<Fleet> join(Vertx vertx, ClusterSettings settings, java.time.Duration fenceAfter) {
    return FleetImpl.join(vertx, settings, fenceAfter);
  }

  /**
   * The fleet view of a single host (no cluster): {@code vmsup.hosts.list} lists this host alone; cordon and uncordon
   * fail CONFLICT (nothing is placed on a single host but by its own API).
   */
  static Future<Void> single(Vertx vertx, Supervisor supervisor) {
    return SingleHost.serve(vertx, supervisor);
  }

  /** This member's host id. */
  String hostId();

  /** The hooks the supervisor's registry uses (addresses, claims, announces). */
  FleetHooks hooks();

  /** Registers the router, this host's info and the membership watch; the supervisor runs already. */
  Future<Void> serve(Supervisor supervisor);

  /**
   * Whether this member may run relocatable VMs now: it sees a majority of the fleet's hosts and has not just
   * stalled. The fencing lease is renewed only while it says true. Read on the event loop; does not block.
   */
  java.util.function.BooleanSupplier standing();

  /** Registers the fleet's meters (cluster members, committed memory, forwarded requests). */
  void bindMeters(MeterRegistry registry);

  /** Gives the host id back (a clean stop); the caller closes Vert.x, which leaves the cluster. */
  Future<Void> leave();
}

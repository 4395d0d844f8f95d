package io.vmsup.supervisor.api;

import io.vertx.core.Future;
import java.util.Collection;

/**
 * Where a host's registry meets the fleet. On a single host ({@link #single()}) every hook is a no-op and the
 * registry listens on the plain addresses; in a cluster it listens on {@code vmsup.host.<id>.vm.*} and keeps the
 * fleet-wide directory (VM name → owning host) true: a name is claimed before a create persists anything, given
 * back when the create fails, forgotten after a delete, and every VM the host's store holds is announced after
 * recovery and whenever the membership changes. The host's store stays the source of truth.
 */
public interface FleetHooks {

  /** The address the registry listens on instead of {@code plain} (one of {@link Addresses}' VM addresses). */
  String address(String plain);

  /**
   * Claims {@code name} for this host. Fails CONFLICT naming the owner when another host holds it, or UNAVAILABLE
   * when the directory cannot be reached.
   */
  Future<Void> claim(String name);

  /** Gives back a claim whose create failed; never fails. */
  Future<Void> release(String name);

  /** Forgets a deleted VM; never fails. */
  Future<Void> forget(String name);

  /** Announces the VMs this host holds (after recovery). Never fails; problems are logged. */
  Future<Void> announce(Collection<String> names);

  /**
   * Asked before every spawn of a QEMU for {@code name} (a requested start, a restart by the policy, a restart at
   * recovery). In a fleet a VM that may relocate ({@code supervision.onHostLoss: relocate}) runs only while this
   * member is part of the cluster's majority and the directory names this host as its owner: fails UNAVAILABLE
   * (cut off) or CONFLICT (owned by another host, e.g. relocated there) otherwise. Single host: always succeeds.
   */
  default Future<Void> mayRun(String name, io.vertx.core.json.JsonObject spec) {
    return Future.succeededFuture();
  }

  /** The single-host hooks: plain addresses, nothing to claim. */
  static FleetHooks single() {
    return Single.INSTANCE;
  }

  /** The no-op hooks of a single host. */
  enum Single implements FleetHooks {
    INSTANCE;

    @Override
    public String address(String plain) {
      return plain;
    }

    @Override
    public Future<Void> claim(String name) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> release(String name) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> forget(String name) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> announce(Collection<String> names) {
      return Future.succeededFuture();
    }
  }
}

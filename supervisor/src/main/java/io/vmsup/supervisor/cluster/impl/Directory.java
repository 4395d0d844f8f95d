package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.FleetHooks;
import io.vmsup.supervisor.api.VmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The fleet-wide directory of VM names (Vert.x {@code SharedData} on Hazelcast: name → {@link Owner}) as one host
 * keeps it. {@code mine} is what this host's store holds (or is creating): what it re-announces whenever the
 * membership changes, so entries lost with a member's map partitions, or a whole-cluster restart, come back.
 */
final class Directory implements FleetHooks {

  private static final Logger LOG = Logger.getLogger(Directory.class.getName());

  private final String hostId;
  private final AsyncMap<String, String> vms;
  private final Set<String> mine = ConcurrentHashMap.newKeySet();
  private final java.util.function.BooleanSupplier standing;
  // until the fleet serves (it re-announces then, with the real handler): the registry's first announce runs
  // before the fleet knows the supervisor
  private java.util.function.BiConsumer<String, Owner> foreign = (name, owner) -> { };

  Directory(String hostId, AsyncMap<String, String> vms, java.util.function.BooleanSupplier standing) {
    this.hostId = hostId;
    this.vms = vms;
    this.standing = standing;
  }

  /** What a re-announce does with a VM this host holds that the directory lists for another host. */
  void onForeign(java.util.function.BiConsumer<String, Owner> handler) {
    this.foreign = handler;
  }

  @Override
  public Future<Void> mayRun(String name, JsonObject spec) {
    if (!Relocatable.is(spec)) {
      return Future.succeededFuture();
    }
    if (!standing.getAsBoolean()) {
      return Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE, "VM '" + name + "' may relocate"
          + " (supervision.onHostLoss: relocate) and this member is cut off from the fleet's majority (or just"
          + " stalled): it does not start here now, the others may be relocating it",
          new JsonObject().put("reason", "not-standing")));
    }
    return vms.get(name)
        .recover(t -> Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE, "the fleet directory cannot be"
            + " reached to check the owner of relocatable VM '" + name + "': " + t.getMessage())))
        .compose(text -> {
          Owner owner = Owner.decode(text);
          if (owner != null && owner.host().equals(hostId)) {
            return Future.<Void>succeededFuture();
          }
          String why = owner == null ? "the fleet directory lists no owner for it yet (this host announces its VMs"
              + " after recovery; start it then)" : "the fleet directory lists it on host '" + owner.host()
              + "' (generation " + owner.generation() + ")";
          return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "relocatable VM '" + name + "' does not"
              + " start on host '" + hostId + "': " + why, owner == null ? new JsonObject()
              : new JsonObject().put("host", owner.host()).put("generation", owner.generation())));
        });
  }

  /**
   * Moves {@code name} from {@code from} to {@code to} if the entry is still {@code from} (compare-and-set on the
   * entry's text): the relocation's fencing token. False when the entry changed meanwhile.
   */
  Future<Boolean> handOver(String name, Owner from, Owner to) {
    return vms.get(name).compose(text -> {
      Owner now = Owner.decode(text);
      return from.equals(now) ? vms.replaceIfPresent(name, text, to.encode()) : Future.succeededFuture(false);
    });
  }

  @Override
  public String address(String plain) {
    return Addresses.onHost(hostId, plain);
  }

  @Override
  public Future<Void> claim(String name) {
    Owner me = new Owner(hostId, 1);
    // before the put: a re-announce running meanwhile must not take the fresh entry for a stale one
    mine.add(name);
    return vms.putIfAbsent(name, me.encode())
        .recover(t -> Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE,
            "the fleet directory cannot be reached to claim '" + name + "': " + t.getMessage())))
        .compose(previous -> {
          Owner owner = Owner.decode(previous);
          if (owner != null && !owner.host().equals(hostId)) {
            return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + name + "' exists on host '"
                + owner.host() + "'", new JsonObject().put("host", owner.host())));
          }
          return Future.<Void>succeededFuture();
        })
        .onFailure(t -> mine.remove(name));
  }

  @Override
  public Future<Void> release(String name) {
    return forget(name);
  }

  @Override
  public Future<Void> forget(String name) {
    mine.remove(name);
    return vms.get(name)
        .compose(text -> {
          Owner owner = Owner.decode(text);
          return owner != null && owner.host().equals(hostId) ? vms.removeIfPresent(name, text).mapEmpty()
              : Future.<Void>succeededFuture();
        })
        .recover(t -> {
          LOG.warning("could not remove '" + name + "' from the fleet directory (the next announce does): " + t);
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<Void> announce(Collection<String> names) {
    mine.addAll(names);
    return reannounce();
  }

  /**
   * Puts every name this host holds back into the directory, and removes entries naming this host that it does not
   * hold (a create that claimed a name and died before it persisted). Never fails.
   */
  Future<Void> reannounce() {
    List<Future<?>> all = new ArrayList<>();
    for (String name : List.copyOf(mine)) {
      all.add(vms.putIfAbsent(name, new Owner(hostId, 1).encode()).onSuccess(previous -> {
        Owner owner = Owner.decode(previous);
        if (owner != null && !owner.host().equals(hostId)) {
          foreign.accept(name, owner);
        }
      }));
    }
    all.add(vms.entries().compose(entries -> {
      List<Future<?>> stale = new ArrayList<>();
      entries.forEach((name, text) -> {
        if (hostId.equals(Owner.decode(text).host()) && !mine.contains(name)) {
          stale.add(vms.removeIfPresent(name, text));
        }
      });
      return Future.join(stale);
    }));
    return Future.join(all).<Void>mapEmpty().recover(t -> {
      LOG.warning("announcing this host's VMs to the fleet directory failed (retried at the next membership"
          + " change): " + t);
      return Future.succeededFuture();
    });
  }

  /** The owner of {@code name}, or null. */
  Future<Owner> owner(String name) {
    return vms.get(name).map(Owner::decode);
  }

  /** Every entry. */
  Future<java.util.Map<String, Owner>> all() {
    return vms.entries().map(m -> {
      java.util.Map<String, Owner> out = new java.util.TreeMap<>();
      m.forEach((k, v) -> out.put(k, Owner.decode(v)));
      return out;
    });
  }
}

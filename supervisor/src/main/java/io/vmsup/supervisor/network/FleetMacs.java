package io.vmsup.supervisor.network;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vmsup.config.Device;
import io.vmsup.config.Nic;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.spec.VmDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * MAC addresses unique across a fleet: in a cluster every VM's MACs (its spec's and the ones the daemon assigned) are
 * claimed in a fleet-wide map ({@value #MAP}: MAC → VM name, Hazelcast through Vert.x shared data) at create and
 * clone, re-claimed after each daemon's recovery, given back on delete. When an assigned MAC is held by a VM of
 * another host the create plans its MACs again with that one avoided (each NIC's chain moves to its next
 * candidate), up to {@value #ROUNDS} rounds. On a single host nothing is claimed: the host's own VMs are the whole
 * set ({@code MacsInUse}).
 */
public final class FleetMacs {

  /** The fleet-wide map of claimed MACs. */
  public static final String MAP = "vmsup.fleet.macs";
  static final int ROUNDS = 8;
  private static final Logger LOG = Logger.getLogger(FleetMacs.class.getName());

  private FleetMacs() {
  }

  /** Every MAC of a definition, lower case: the spec's {@code mac}s and the layout's assigned ones. */
  public static Set<String> of(VmDefinition def) {
    Set<String> out = specMacs(def);
    def.layout().ifPresent(l -> l.macs().values().forEach(m -> out.add(m.toLowerCase(Locale.ROOT))));
    return out;
  }

  private static Set<String> specMacs(VmDefinition def) {
    Set<String> out = new TreeSet<>();
    for (Device d : def.spec().devices()) {
      if (d instanceof Nic n) {
        n.mac().ifPresent(m -> out.add(m.toLowerCase(Locale.ROOT)));
      }
    }
    return out;
  }

  /**
   * Claims the definition's MACs for VM {@code def.name()}; while another VM holds one the daemon assigned, plans
   * again with {@code replan(def, avoid)} (blocking: run on a worker) and claims the new ones. The definition
   * whose MACs are all this VM's; the input as is on a single host. Fails UNAVAILABLE when the map cannot be
   * reached, CONFLICT after {@value #ROUNDS} rounds.
   */
  public static Future<VmDefinition> claim(Vertx vertx, VmDefinition def, Set<String> avoid,
      BiFunction<VmDefinition, Set<String>, VmDefinition> replan) {
    if (!vertx.isClustered()) {
      return Future.succeededFuture(def);
    }
    return map(vertx).compose(map -> round(vertx, map, def, new HashSet<>(avoid), replan, 1));
  }

  private static Future<VmDefinition> round(Vertx vertx, AsyncMap<String, String> map, VmDefinition def,
      Set<String> avoid, BiFunction<VmDefinition, Set<String>, VmDefinition> replan, int n) {
    Set<String> given = specMacs(def);
    return takenOf(map, def.name(), of(def)).compose(taken -> {
      taken.removeAll(given);
      if (taken.isEmpty()) {
        return Future.succeededFuture(def);
      }
      if (n >= ROUNDS) {
        return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + def.name() + "': no MAC address free"
            + " in the fleet after " + ROUNDS + " rounds (taken: " + taken + ")"));
      }
      avoid.addAll(taken);
      Set<String> before = of(def);
      return vertx.executeBlocking(() -> replan.apply(def, avoid), false).compose(next -> {
        Set<String> dropped = new TreeSet<>(before);
        dropped.removeAll(of(next));
        dropped.removeAll(taken);
        return release(vertx, def.name(), dropped).compose(v -> round(vertx, map, next, avoid, replan, n + 1));
      });
    });
  }

  /** Claims each MAC for {@code vm}: the ones another VM holds. */
  private static Future<Set<String>> takenOf(AsyncMap<String, String> map, String vm, Set<String> macs) {
    List<Future<String>> puts = new ArrayList<>();
    for (String mac : macs) {
      puts.add(map.putIfAbsent(mac, vm).map(previous -> previous == null || previous.equals(vm) ? null : mac));
    }
    return Future.all(puts)
        .recover(t -> Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE, "the fleet's MAC map cannot be"
            + " reached to claim the MACs of '" + vm + "': " + t.getMessage())))
        .map(all -> {
          Set<String> taken = new TreeSet<>();
          puts.forEach(f -> {
            if (f.result() != null) {
              taken.add(f.result());
            }
          });
          return taken;
        });
  }

  /**
   * Claims the MACs of a VM this host already holds (after recovery); a MAC another VM holds is logged (both
   * guests see it: one of them needs another), never changed behind the guest's back. Never fails.
   */
  public static Future<Void> reclaim(Vertx vertx, VmDefinition def) {
    if (!vertx.isClustered() || of(def).isEmpty()) {
      return Future.succeededFuture();
    }
    return map(vertx).compose(map -> takenOf(map, def.name(), of(def))).map(taken -> {
      if (!taken.isEmpty()) {
        LOG.warning("VM '" + def.name() + "': MAC " + taken + " is also claimed by another VM of the fleet");
      }
      return (Void) null;
    }).otherwise(t -> {
      LOG.warning("VM '" + def.name() + "': its MACs could not be claimed in the fleet: " + t.getMessage());
      return null;
    });
  }

  /** Gives back MACs of {@code vm} (a failed create, a delete). Never fails. */
  public static Future<Void> release(Vertx vertx, String vm, Set<String> macs) {
    if (!vertx.isClustered() || macs.isEmpty()) {
      return Future.succeededFuture();
    }
    return map(vertx).compose(map -> {
      List<Future<Boolean>> removes = new ArrayList<>();
      macs.forEach(mac -> removes.add(map.removeIfPresent(mac, vm)));
      return Future.join(removes);
    }).<Void>mapEmpty().otherwise(t -> {
      LOG.warning("VM '" + vm + "': MACs " + macs + " could not be given back to the fleet: " + t.getMessage());
      return null;
    });
  }

  /** Hazelcast makes a map's proxy with a blocking cluster call: on a worker. */
  private static Future<AsyncMap<String, String>> map(Vertx vertx) {
    return vertx.executeBlocking(() -> vertx.sharedData().<String, String>getAsyncMap(MAP), false).compose(f -> f);
  }
}

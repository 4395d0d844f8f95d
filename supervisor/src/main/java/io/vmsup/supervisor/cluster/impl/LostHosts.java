package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Members that left or stopped answering, seen from this member. A lost host's VMs are shown {@code UNKNOWN} with
 * reason {@code host-lost} (their QEMUs may well run on: a lost daemon is no proof of dead VMs), and one member —
 * the live host with the smallest id, so subscribers get each event once — publishes a state event per VM. The last
 * state each VM reported (from the events every member receives) is kept as the event's {@code from}.
 */
final class LostHosts {

  static final String REASON = "host-lost";
  /** The reason of the state event that ends a {@code host-lost}: the same member is back (a cut healed, a thaw). */
  static final String BACK = "host-back";
  private static final long LIST_MS = 10_000;
  private static final int LIST_TRIES = 5;

  private final Vertx vertx;
  private final String me;
  private final HostTable hosts;
  private final Directory directory;
  private final Map<String, String> lastState = new ConcurrentHashMap<>();
  private final Map<String, Instant> lostSince = new ConcurrentHashMap<>();
  /** A lost member: its host id, and this member's {@link Standing#lapses} when it was lost. */
  private record Gone(String host, long lapses) {
  }

  private final Standing standing;
  /** Node id → members lost and not back: the same node returning is the same daemon, never restarted. */
  private final Map<String, Gone> lostNodes = new ConcurrentHashMap<>();

  LostHosts(Vertx vertx, String me, HostTable hosts, Directory directory, Standing standing) {
    this.vertx = vertx;
    this.standing = standing;
    this.me = me;
    this.hosts = hosts;
    this.directory = directory;
  }

  /** Follows every VM's state events across the fleet. */
  void follow() {
    vertx.eventBus().<Object>consumer(Addresses.EVENTS, m -> {
      if (m.body() instanceof JsonObject e && "state".equals(e.getString("type")) && e.getString("vm") != null
          && e.getString("to") != null) {
        lastState.put(e.getString("vm"), e.getString("to"));
      }
    });
  }

  /** A member left the cluster (its node id): mark its hosts lost and report their VMs once. */
  Future<Void> nodeLeft(String node) {
    // whether this member kept its majority, read now (the member list already lacks the node): a member on the
    // minority's side never reports the others back
    long lapses = standing.majority() ? standing.lapses() : -1;
    return hosts.all().compose(records -> {
      List<String> gone = new ArrayList<>();
      records.values().forEach(r -> {
        if (r.node().equals(node)) {
          gone.add(r.host());
          lostSince.put(r.host(), Instant.now());
          if (lapses >= 0) {
            lostNodes.put(node, new Gone(r.host(), lapses));
          }
        }
      });
      String reporter = records.values().stream().filter(hosts::live).map(HostRecord::host).sorted().findFirst()
          .orElse(null);
      if (gone.isEmpty() || !me.equals(reporter)) {
        return Future.<Void>succeededFuture();
      }
      return directory.all().map(owners -> {
        owners.forEach((name, owner) -> {
          if (gone.contains(owner.host())) {
            vertx.eventBus().publish(Addresses.events(name), event(name, owner));
            vertx.eventBus().publish(Addresses.EVENTS, event(name, owner));
          }
        });
        return null;
      });
    });
  }

  /**
   * A member joined (its node id). If it is a lost member back under the same node — the same daemon, its cut
   * healed or its JVM thawed; a restarted daemon has a new node and publishes {@code reattached} itself — the
   * reporter (the live host with the smallest id, the returning one aside) asks it for its VMs and publishes, for
   * each one the directory still lists for it, the state that ends its {@code host-lost}: {@code UNKNOWN -> <state>},
   * reason {@code host-back}. A VM relocated meanwhile is not its any more and gets none (its copy is fenced
   * there). Only a member that kept its majority all along reports: one that was itself cut off meanwhile saw the
   * others "lost" from the minority side, where the fleet never lost them.
   */
  Future<Void> nodeAdded(String node) {
    Gone gone = lostNodes.remove(node);
    if (gone == null) {
      return Future.succeededFuture();
    }
    lostSince.remove(gone.host());
    if (standing.lapses() != gone.lapses()) {
      return Future.succeededFuture();
    }
    return hosts.all().compose(records -> {
      // the returning host is live again but reports nothing of itself
      String reporter = records.values().stream().filter(hosts::live).map(HostRecord::host)
          .filter(h -> !h.equals(gone.host())).sorted().findFirst().orElse(null);
      return me.equals(reporter) ? back(gone.host(), LIST_TRIES) : Future.<Void>succeededFuture();
    });
  }

  // right after a merge the member's own addresses may not be known here yet: asked again, a few times
  private Future<Void> back(String host, int tries) {
    return vertx.eventBus().<JsonObject>request(Addresses.onHost(host, Addresses.LIST), new JsonObject(),
            new DeliveryOptions().setSendTimeout(LIST_MS))
        .compose(reply -> directory.all().map(owners -> {
          for (Object o : reply.body().getJsonArray("vms", new JsonArray())) {
            if (o instanceof JsonObject vm && vm.getValue("name") instanceof String name && owners.get(name) != null
                && host.equals(owners.get(name).host())) {
              JsonObject e = new JsonObject().put("type", "state").put("vm", name)
                  .put("from", VmState.UNKNOWN.json()).put("to", vm.getValue("state")).put("reason", BACK)
                  .put("timestamp", Instant.now().toString()).put("host", host);
              vertx.eventBus().publish(Addresses.events(name), e);
              vertx.eventBus().publish(Addresses.EVENTS, e.copy());
            }
          }
          return (Void) null;
        }))
        .recover(t -> {
          if (tries <= 1) {
            return Future.failedFuture(t);
          }
          io.vertx.core.Promise<Void> again = io.vertx.core.Promise.promise();
          vertx.setTimer(2_000, id -> back(host, tries - 1).onComplete(again));
          return again.future();
        });
  }

  private JsonObject event(String name, Owner owner) {
    return new JsonObject().put("type", "state").put("vm", name)
        .put("from", lastState.getOrDefault(name, VmState.UNKNOWN.json())).put("to", VmState.UNKNOWN.json())
        .put("reason", REASON).put("timestamp", since(owner.host()).toString()).put("host", owner.host());
  }

  /** The view of a VM whose host is lost. */
  JsonObject view(String name, Owner owner) {
    JsonObject view = new JsonObject().put("name", name).put("state", VmState.UNKNOWN.json()).put("reason", REASON)
        .put("since", since(owner.host()).toString()).put("pid", null).put("host", owner.host())
        .put("generation", owner.generation());
    String last = lastState.get(name);
    return last == null ? view : view.put("lastKnownState", last);
  }

  private Instant since(String host) {
    return lostSince.computeIfAbsent(host, h -> Instant.now());
  }
}

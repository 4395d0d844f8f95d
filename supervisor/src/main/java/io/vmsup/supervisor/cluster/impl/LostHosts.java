package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
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

  private final Vertx vertx;
  private final String me;
  private final HostTable hosts;
  private final Directory directory;
  private final Map<String, String> lastState = new ConcurrentHashMap<>();
  private final Map<String, Instant> lostSince = new ConcurrentHashMap<>();

  LostHosts(Vertx vertx, String me, HostTable hosts, Directory directory) {
    this.vertx = vertx;
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
    return hosts.all().compose(records -> {
      List<String> gone = new ArrayList<>();
      records.values().forEach(r -> {
        if (r.node().equals(node)) {
          gone.add(r.host());
          lostSince.put(r.host(), Instant.now());
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

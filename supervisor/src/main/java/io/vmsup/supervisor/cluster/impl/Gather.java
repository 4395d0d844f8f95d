package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.LabelFilter;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The fleet-wide answers: {@code vmsup.vm.list} (every host's VMs, each with {@code host}; the VMs of a host that
 * is lost or does not answer are listed {@code UNKNOWN} from the directory, never left out) and {@code
 * vmsup.hosts.list}.
 */
final class Gather {

  private static final long INFO_TIMEOUT_MS = 5_000;

  private final FleetRouter router;

  Gather(FleetRouter router) {
    this.router = router;
  }

  Future<JsonObject> vms(Message<JsonObject> m) {
    Future<Map<String, HostRecord>> hosts = router.hosts().all();
    Future<Map<String, Owner>> owners = router.directory().all();
    return Future.all(hosts, owners).compose(x -> {
      List<Future<List<JsonObject>>> parts = new ArrayList<>();
      for (HostRecord r : hosts.result().values()) {
        parts.add(vmsOf(m, r, owners.result()));
      }
      return Future.all(parts).map(all -> {
        List<JsonObject> views = new ArrayList<>();
        parts.forEach(p -> views.addAll(p.result()));
        views.sort(Comparator.comparing(v -> v.getString("name")));
        return new JsonObject().put("vms", new JsonArray(new ArrayList<>(views)));
      });
    });
  }

  private Future<List<JsonObject>> vmsOf(Message<JsonObject> m, HostRecord r, Map<String, Owner> owners) {
    // a lost host's VMs come from the directory, which holds no labels: a filtered list cannot tell, leaves them out
    boolean filtered = LabelFilter.of(m.body()).problem() != null || !LabelFilter.of(m.body()).empty();
    if (!router.hosts().live(r)) {
      List<JsonObject> views = new ArrayList<>();
      owners.forEach((name, owner) -> {
        if (owner.host().equals(r.host()) && !filtered) {
          views.add(router.lost().view(name, owner));
        }
      });
      return Future.succeededFuture(views);
    }
    return router.forward(m, r.host(), Addresses.LIST, null).map(reply -> {
      List<JsonObject> out = new ArrayList<>();
      for (Object o : ((JsonObject) reply).getJsonArray("vms", new JsonArray())) {
        JsonObject view = (JsonObject) o;
        Owner owner = owners.get(view.getString("name"));
        out.add(view.put("host", r.host()).put("generation", owner == null ? 1 : owner.generation()));
      }
      return out;
    }).recover(t -> t instanceof VmException e && e.code() == ErrorCode.INVALID ? Future.failedFuture(t)
        : Future.succeededFuture(filtered ? List.of() : unknown(r.host(), owners, "host-unreachable")));
  }

  /** The VMs the directory lists for a host that cannot answer: state UNKNOWN, never dropped. */
  private static List<JsonObject> unknown(String host, Map<String, Owner> owners, String reason) {
    List<JsonObject> out = new ArrayList<>();
    String now = Instant.now().toString();
    owners.forEach((name, owner) -> {
      if (owner.host().equals(host)) {
        out.add(new JsonObject().put("name", name).put("state", VmState.UNKNOWN.json()).put("reason", reason)
            .put("since", now).put("pid", null).put("host", host).put("generation", owner.generation()));
      }
    });
    return out;
  }

  Future<JsonObject> hosts() {
    return router.hosts().all().compose(records -> {
      List<Future<JsonObject>> each = new ArrayList<>();
      for (HostRecord r : records.values()) {
        each.add(describe(r));
      }
      return Future.all(each).map(x -> {
        JsonArray out = new JsonArray();
        each.forEach(f -> out.add(f.result()));
        return new JsonObject().put("hosts", out);
      });
    });
  }

  private Future<JsonObject> describe(HostRecord r) {
    JsonObject base = r.view();
    if (!router.hosts().live(r)) {
      return Future.succeededFuture(base.put("state", "lost"));
    }
    return router.vertxOf().eventBus().<JsonObject>request(Addresses.hostInfo(r.host()), new JsonObject(),
            new DeliveryOptions().setSendTimeout(INFO_TIMEOUT_MS))
        .map(info -> base.mergeIn(info.body()).put("state", "up"))
        .recover(t -> Future.succeededFuture(base.put("state", "unreachable")));
  }
}

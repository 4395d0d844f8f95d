package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses the host a new VM is created on. The create request's {@code placement} names a host or labels a host
 * must carry; every live host is asked for its memory and its host checks of the spec (binary, KVM when asked,
 * files present). Of the hosts that pass — live, not cordoned, placement satisfied, checks passed, guest RAM fits in
 * total memory minus the memory committed to its VMs — the one with the most memory left after committed memory
 * wins (ties: the smaller host id). None: CONFLICT with one reason per host ({@code "hosts": {"h1": "..."}}).
 */
final class Placer {

  private static final long INFO_TIMEOUT_MS = 10_000;

  private final FleetRouter router;

  Placer(FleetRouter router) {
    this.router = router;
  }

  /** The host for a create request's body; a body that is no spec goes to this host, whose parser says why. */
  Future<String> choose(JsonObject spec) {
    if (spec == null) {
      return Future.succeededFuture(router.me());
    }
    Object p = spec.getValue("placement");
    JsonObject placement = p instanceof JsonObject j ? j : new JsonObject();
    String wanted = placement.getValue("host") instanceof String s ? s : null;
    JsonObject labels = placement.getValue("labels") instanceof JsonObject l ? l : new JsonObject();
    long memory = GuestMemory.bytes(spec);
    return router.hosts().all().compose(records -> {
      Map<String, Future<String>> verdicts = new TreeMap<>();
      Map<String, Long> room = new TreeMap<>();
      for (HostRecord r : records.values()) {
        verdicts.put(r.host(), verdict(r, wanted, labels, memory, spec, room));
      }
      if (wanted != null && !records.containsKey(wanted)) {
        verdicts.put(wanted, Future.succeededFuture("no such host in the fleet"));
      }
      return Future.join(new ArrayList<>(verdicts.values())).transform(x -> pick(verdicts, room));
    });
  }

  private Future<String> pick(Map<String, Future<String>> verdicts, Map<String, Long> room) {
    String best = null;
    JsonObject reasons = new JsonObject();
    for (var e : verdicts.entrySet()) {
      String reason = e.getValue().succeeded() ? e.getValue().result() : "did not answer: "
          + e.getValue().cause().getMessage();
      if (reason == null) {
        if (best == null || room.get(e.getKey()) > room.get(best)) {
          best = e.getKey();
        }
      } else {
        reasons.put(e.getKey(), reason);
      }
    }
    if (best != null) {
      return Future.succeededFuture(best);
    }
    return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "no host can take the VM: " + reasons.encode(),
        new JsonObject().put("hosts", reasons)));
  }

  /** Null when the host can take the VM (its room recorded), else the reason it cannot. */
  private Future<String> verdict(HostRecord r, String wanted, JsonObject labels, long memory, JsonObject spec,
      Map<String, Long> room) {
    if (wanted != null && !wanted.equals(r.host())) {
      return Future.succeededFuture("placement names host '" + wanted + "'");
    }
    if (!router.hosts().live(r)) {
      return Future.succeededFuture("lost (not a member of the cluster now)");
    }
    if (r.cordoned()) {
      return Future.succeededFuture("cordoned");
    }
    List<String> missing = new ArrayList<>();
    labels.forEach(e -> {
      if (!String.valueOf(e.getValue()).equals(r.labels().get(e.getKey()))) {
        missing.add(e.getKey() + "=" + e.getValue());
      }
    });
    if (!missing.isEmpty()) {
      return Future.succeededFuture("lacks the labels " + String.join(", ", missing));
    }
    return router.vertxOf().eventBus().<JsonObject>request(Addresses.hostInfo(r.host()),
            new JsonObject().put("spec", spec), new DeliveryOptions().setSendTimeout(INFO_TIMEOUT_MS))
        .map(m -> {
          JsonObject info = m.body();
          if (!info.getJsonArray("problems", new io.vertx.core.json.JsonArray()).isEmpty()) {
            return "fails the host checks: " + info.getJsonArray("problems").encode();
          }
          long left = info.getLong("memoryTotalBytes", 0L) - info.getLong("memoryCommittedBytes", 0L);
          if (left < memory) {
            return "needs " + memory + " bytes of guest RAM, " + left + " left after the memory committed to its"
                + " VMs";
          }
          room.put(r.host(), left);
          return null;
        });
  }
}

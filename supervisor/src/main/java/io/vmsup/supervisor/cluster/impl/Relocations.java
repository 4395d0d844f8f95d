package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.VmHandle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What every member knows of every host's relocatable VMs, so they can be started elsewhere once that host is lost
 * (when it can no longer be asked): each member publishes {@code {"host", "fenceAfterMs", "vms": [{"name", "spec",
 * "running"}]}} on {@link Addresses#FLEET_RELOCATABLE} — after joining, at every membership change (so a member
 * that joins later learns it) and when one of its relocatable VMs changes state. It travels on the event bus, which
 * speaks only mutual TLS with member certificates, never in the Hazelcast maps a rogue on the membership port could
 * write: a falsified spec or a shorter lease there would make the others start a VM they must not.
 */
final class Relocations {

  /** One host's publication: its lease ({@code 0}: no watchdog, its VMs never relocate) and its VMs by name. */
  record Known(long fenceAfterMs, Map<String, JsonObject> vms) {
  }

  private static final Logger LOG = Logger.getLogger(Relocations.class.getName());
  private static final long DEBOUNCE_MS = 200;

  private final Vertx vertx;
  private final String me;
  private final long fenceAfterMs;
  private final Supplier<List<VmHandle>> vms;
  private final Map<String, Known> byHost = new ConcurrentHashMap<>();
  private long pending = -1;

  Relocations(Vertx vertx, String me, long fenceAfterMs, Supplier<List<VmHandle>> vms) {
    this.vertx = vertx;
    this.me = me;
    this.fenceAfterMs = fenceAfterMs;
    this.vms = vms;
  }

  void start() {
    vertx.eventBus().<Object>consumer(Addresses.FLEET_RELOCATABLE, m -> learn(m.body()));
    vertx.eventBus().<Object>consumer(Addresses.EVENTS, m -> {
      if (m.body() instanceof JsonObject e && "state".equals(e.getString("type")) && me.equals(e.getValue("host"))
          && e.getValue("vm") instanceof String name && vms.get().stream()
              .anyMatch(h -> h.name().equals(name) && Relocatable.is(h.spec()))) {
        publishSoon();
      }
    });
    publish();
  }

  /** This host's publication once, shortly (state changes come in bursts). */
  void publishSoon() {
    if (pending < 0) {
      pending = vertx.setTimer(DEBOUNCE_MS, id -> {
        pending = -1;
        publish();
      });
    }
  }

  void publish() {
    JsonArray list = new JsonArray();
    for (VmHandle h : vms.get()) {
      if (Relocatable.is(h.spec())) {
        list.add(new JsonObject().put("name", h.name()).put("spec", h.spec()).put("running", h.pid() > 0));
      }
    }
    vertx.eventBus().publish(Addresses.FLEET_RELOCATABLE, new JsonObject().put("host", me)
        .put("fenceAfterMs", fenceAfterMs).put("vms", list));
  }

  /** A publication replaces what was known of its host; a malformed one is logged and changes nothing. */
  void learn(Object body) {
    String problem = problem(body);
    if (problem != null) {
      LOG.warning("fleet: ignoring a malformed message on " + Addresses.FLEET_RELOCATABLE + ": " + problem);
      return;
    }
    JsonObject b = (JsonObject) body;
    Map<String, JsonObject> vmsOf = new LinkedHashMap<>();
    b.getJsonArray("vms").forEach(o -> vmsOf.put(((JsonObject) o).getString("name"), (JsonObject) o));
    byHost.put(b.getString("host"), new Known(b.getLong("fenceAfterMs"), Map.copyOf(vmsOf)));
  }

  static String problem(Object body) {
    if (!(body instanceof JsonObject b)) {
      return "not a JSON object";
    }
    if (!(b.getValue("host") instanceof String h) || h.isEmpty()) {
      return "host: a non-empty string is required";
    }
    if (!(b.getValue("fenceAfterMs") instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
      return "fenceAfterMs: a whole number >= 0 is required";
    }
    if (!(b.getValue("vms") instanceof JsonArray list)) {
      return "vms: an array is required";
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject v) || !(v.getValue("name") instanceof String)
          || !(v.getValue("spec") instanceof JsonObject) || !(v.getValue("running") instanceof Boolean)) {
        return "vms[" + i + "]: {\"name\": string, \"spec\": object, \"running\": boolean} is required";
      }
    }
    return null;
  }

  /** What {@code host} published last, or null. */
  Known of(String host) {
    return byHost.get(host);
  }
}

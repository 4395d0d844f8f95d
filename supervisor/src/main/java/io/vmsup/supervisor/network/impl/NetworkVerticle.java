package io.vmsup.supervisor.network.impl;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.network.NetworkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Owns the table of networks. Mutations run one after the other (a queue of futures), each with its host work on a
 * worker, so a create never sees another half done; reads answer from the table at once.
 */
public final class NetworkVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(NetworkVerticle.class.getName());

  private final Path dir;
  private final Map<String, VmHandle> vms;
  private final Map<String, Managed> networks = new TreeMap<>();
  private NetworkStore store;
  private Future<?> queue = Future.succeededFuture();

  /** One network and its dnsmasq (null without DHCP). */
  record Managed(NetworkSpec spec, Dnsmasq dhcp, String problem) {
  }

  private final java.util.function.UnaryOperator<String> at;

  public NetworkVerticle(Path dir, Map<String, VmHandle> vms) {
    this(dir, vms, java.util.function.UnaryOperator.identity());
  }

  /**
   * @param at the address this host answers a plain network address on: the plain one on a single host,
   *           {@code vmsup.host.<id>.network.*} in a fleet (the fleet router answers the plain ones there)
   */
  public NetworkVerticle(Path dir, Map<String, VmHandle> vms, java.util.function.UnaryOperator<String> at) {
    this.dir = dir;
    this.vms = vms;
    this.at = at;
  }

  @Override
  public Future<?> start() {
    store = new NetworkStore(dir);
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(at.apply(Addresses.NETWORK_CREATE),
        m -> Replies.when(m, serial(() -> create(m.body()))));
    bus.<JsonObject>consumer(at.apply(Addresses.NETWORK_DELETE),
        m -> Replies.when(m, serial(() -> delete(name(m)))));
    bus.<JsonObject>consumer(at.apply(Addresses.NETWORK_GET),
        m -> Replies.when(m, find(name(m)).compose(this::view)));
    bus.<JsonObject>consumer(at.apply(Addresses.NETWORK_LIST), m -> Replies.when(m, list()));
    return vertx.executeBlocking(store::loadAll, false).compose(this::adoptAll);
  }

  @Override
  public Future<?> stop() {
    networks.values().stream().filter(m -> m.dhcp() != null).forEach(m -> m.dhcp().detach());
    return Future.succeededFuture();
  }

  private <T> Future<T> serial(Supplier<Future<T>> op) {
    Future<T> next = queue.transform(ar -> op.get());
    queue = next;
    return next;
  }

  /** Re-adopts every stored network: the same idempotent steps as a create; a failure is shown on the network. */
  private Future<Void> adoptAll(List<NetworkSpec> stored) {
    Future<Void> chain = Future.succeededFuture();
    for (NetworkSpec n : stored) {
      chain = chain.compose(v -> bringUp(n).transform(ar -> {
        if (ar.failed()) {
          LOG.severe("network " + n.name() + " could not be re-adopted: " + ar.cause().getMessage());
          networks.put(n.name(), new Managed(n, null, ar.cause().getMessage()));
        }
        return Future.succeededFuture();
      }));
    }
    return chain;
  }

  private Future<JsonObject> create(JsonObject body) {
    NetworkSpec n;
    try {
      n = NetworkParser.parse(body);
    } catch (VmException e) {
      return Future.failedFuture(e);
    }
    if (networks.containsKey(n.name())) {
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "network '" + n.name() + "' exists"));
    }
    List<NetworkSpec> others = networks.values().stream().map(Managed::spec).toList();
    return vertx.executeBlocking(() -> {
      NetworkChecks.againstHost(n, others);
      store.write(n);
      return n;
    }, false).compose(v -> bringUp(n).recover(t -> tearDown(n).transform(ar -> {
      if (ar.failed()) {
        LOG.severe("network " + n.name() + ": clean-up after a failed create failed: " + ar.cause());
      }
      networks.remove(n.name());
      return Future.failedFuture(new VmException(ErrorCode.INTERNAL, "network '" + n.name() + "' was not created"
          + " (everything made for it was removed again): " + t.getMessage()));
    }))).compose(this::view);
  }

  /** Bridge, address, rules, forwarding, dnsmasq: made or completed, idempotently. */
  private Future<Managed> bringUp(NetworkSpec n) {
    return vertx.executeBlocking(() -> {
      HostNetwork.bridgeUp(n);
      HostNetwork.rulesUp(n);
      if (n.nat()) {
        Forwarding.needed(store.forwardingFile());
      }
      store.ensureDir(n);
      return n;
    }, false).compose(v -> {
      Dnsmasq d = n.dhcp().isPresent() ? new Dnsmasq(vertx, context, n, store.dir(n)) : null;
      Managed m = new Managed(n, d, null);
      networks.put(n.name(), m);
      return d == null ? Future.succeededFuture(m) : d.start().map(m);
    });
  }

  private Future<Void> tearDown(NetworkSpec n) {
    Managed m = networks.get(n.name());
    Future<Void> stopped = m == null || m.dhcp() == null ? Future.succeededFuture() : m.dhcp().stop();
    boolean natLeft = networks.values().stream().anyMatch(o -> o.spec().nat() && !o.spec().name().equals(n.name()));
    return stopped.compose(v -> vertx.executeBlocking(() -> {
      HostNetwork.rulesDown(n);
      HostNetwork.bridgeDown(n);
      if (!natLeft) {
        Forwarding.unneeded(store.forwardingFile());
      }
      store.delete(n);
      return null;
    }, false));
  }

  private Future<JsonObject> delete(String name) {
    return find(name).compose(m -> {
      List<String> users = users(name);
      if (!users.isEmpty()) {
        return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "network '" + name + "' is used by VM"
            + (users.size() > 1 ? "s " : " ") + String.join(", ", users) + "; remove their NICs on it or delete them"
            + " first", new JsonObject().put("vms", new JsonArray(users))));
      }
      return tearDown(m.spec()).map(v -> {
        networks.remove(name);
        return new JsonObject().put("name", name).put("deleted", true);
      });
    });
  }

  /** The VMs whose spec has a NIC on the network, sorted. */
  private List<String> users(String network) {
    List<String> out = new ArrayList<>();
    for (VmHandle h : vms.values()) {
      if (io.vmsup.supervisor.network.NetworkUse.uses(h.spec(), network)) {
        out.add(h.name());
      }
    }
    out.sort(null);
    return out;
  }

  private Future<Managed> find(String name) {
    Managed m = name == null ? null : networks.get(name);
    return m == null ? Future.failedFuture(new VmException(ErrorCode.NOT_FOUND, "no network '" + name + "'"))
        : Future.succeededFuture(m);
  }

  private Future<JsonObject> view(Managed m) {
    JsonObject j = m.spec().toJson();
    if (m.problem() != null) {
      j.put("problem", m.problem());
    }
    j.put("vms", new JsonArray(users(m.spec().name())));
    if (m.dhcp() == null) {
      return Future.succeededFuture(j);
    }
    j.put("dnsmasq", m.dhcp().view());
    return vertx.executeBlocking(() -> Leases.read(m.dhcp().leases()), false).map(l -> j.put("leases", l));
  }

  private Future<JsonObject> list() {
    List<Future<JsonObject>> views = networks.values().stream().map(this::view).toList();
    return Future.all(views).map(all -> new JsonObject().put("networks", new JsonArray(all.list())));
  }

  private static String name(Message<JsonObject> m) {
    return m.body() != null && m.body().getValue("name") instanceof String s ? s : null;
  }
}

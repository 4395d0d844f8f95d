package io.vmsup.supervisor.impl;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PciPlan;
import io.vmsup.config.PciPlans;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.FleetHooks;
import io.vmsup.supervisor.api.LabelFilter;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.console.ConsoleVerticle;
import io.vmsup.supervisor.hotplug.Hotplug;
import io.vmsup.supervisor.image.Clones;
import io.vmsup.supervisor.image.ManagedDisks;
import io.vmsup.supervisor.launch.LogRotation;
import io.vmsup.supervisor.launch.UidRange;
import io.vmsup.supervisor.network.FleetMacs;
import io.vmsup.supervisor.network.HostPorts;
import io.vmsup.supervisor.network.KnownNetworks;
import io.vmsup.supervisor.spec.MacsInUse;
import io.vmsup.supervisor.spec.SpecParser;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.store.Desired;
import io.vmsup.supervisor.store.StoredVm;
import io.vmsup.supervisor.vm.Candidates;
import io.vmsup.supervisor.vm.VmActor;
import io.vmsup.supervisor.vm.VmDeps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Owns the VM table: answers create/delete/get/list itself and forwards every other command to the VM's actor, so
 * a slow VM delays only its own requests. get/list read the snapshots the actors publish into the shared table.
 */
final class RegistryVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(RegistryVerticle.class.getName());
  private static final Duration MARGIN = Duration.ofSeconds(10);

  private final VmDeps deps;
  private final SpecParser parser;
  private final List<StoredVm> stored;
  private final Map<String, String> deployments = new HashMap<>();
  private final Map<String, VmDefinition> definitions = new HashMap<>();

  RegistryVerticle(VmDeps deps, SpecParser parser, List<StoredVm> stored) {
    this.deps = deps;
    this.parser = parser;
    this.stored = stored;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    FleetHooks fleet = deps.options().fleet();
    bus.<JsonObject>consumer(fleet.address(Addresses.CREATE), this::create);
    // NICs on managed networks: their addresses from the networks' DHCP leases
    bus.<JsonObject>consumer(fleet.address(Addresses.GET), m -> reply(m, view(name(m)).map(VmHandle::toJson)
        .compose(j -> io.vmsup.supervisor.network.NicAddresses.add(vertx, j))));
    bus.<JsonObject>consumer(fleet.address(Addresses.LIST), this::list);
    bus.<JsonObject>consumer(fleet.address(Addresses.DELETE), this::delete);
    bus.<JsonObject>consumer(fleet.address(Addresses.CLONE), this::cloneVm);
    for (Op op : Op.values()) {
      if (op == Op.QUERY) {
        // the daemon's own readers only (metrics): never answered for another member
        bus.<JsonObject>localConsumer(op.address(), m -> reply(m, forward(op, m.body())));
      } else if (op.forwarded()) {
        bus.<JsonObject>consumer(fleet.address(op.address()), m -> reply(m, op == Op.ATTACH
            ? ManagedDisks.checkAttach(m.body()).compose(v -> KnownNetworks.checkAttach(vertx, m.body()))
                .compose(v -> HostPorts.checkAttach(m.body(), deps.table().values()))
                .compose(v -> forward(op, m.body())) : forward(op, m.body())));
      }
    }
    // after recovery, so it knows which VMs existed before; a child deployment, undeployed with the registry
    return vertx.executeBlocking(Candidates::qemuProcesses).compose(this::recoverAll)
        .compose(v -> fleet.announce(List.copyOf(deployments.keySet())))
        .compose(v -> vertx.deployVerticle(new ConsoleVerticle(deps)))
        .compose(v -> vertx.deployVerticle(new LogRotation(deps.options().logLimits(), deps.table()::keySet,
            deps.store()::vmDir)));
  }

  private Future<Void> recoverAll(List<ProcessHandle> candidates) {
    List<Future<?>> all = new ArrayList<>();
    for (StoredVm s : stored) {
      VmDefinition def;
      try {
        def = parser.parseStored(s.specJson());
        if (s.layoutJson() != null) {
          def = def.withLayout(PciPlans.fromJson(s.layoutJson()));
        }
      } catch (IllegalArgumentException e) {
        LOG.severe("PCI layout (pci.json) of VM '" + s.name() + "' is unreadable, not supervising it (its devices"
            + " would move): " + e.getMessage());
        continue;
      } catch (VmException e) {
        LOG.severe("stored spec of VM '" + s.name() + "' is no longer valid, not supervising it: " + e.toJson());
        continue;
      }
      VmDefinition held = def;
      all.add(deploy(def, s, candidates).onSuccess(id -> FleetMacs.reclaim(vertx, held)));
    }
    return Future.join(all).mapEmpty();
  }

  private Future<String> deploy(VmDefinition def, StoredVm s, List<ProcessHandle> candidates) {
    deployments.put(def.name(), "");
    definitions.put(def.name(), def);
    return vertx.deployVerticle(new VmActor(deps, def, s, candidates))
        .onSuccess(id -> deployments.put(def.name(), id))
        .onFailure(t -> {
          deployments.remove(def.name());
          definitions.remove(def.name());
          deps.table().remove(def.name());
        });
  }

  private void create(Message<JsonObject> m) {
    if (m.body() == null) {
      VmException.invalid("body must be a VM spec", new JsonArray()
          .add(new JsonObject().put("path", "$").put("message", "required"))).failReply(m);
      return;
    }
    String text = m.body().encode();
    java.util.Set<String> macs = MacsInUse.of(deps.table().values(), null);
    List<VmHandle> views = List.copyOf(deps.table().values());
    boolean ownUids = deps.options().qemuUids() != null;
    Future<JsonObject> f = vertx.executeBlocking(() -> {
          VmDefinition def = parser.parse(text);
          // user NICs' host forwards: a privileged port QEMU cannot bind, a socket another VM's spec forwards
          HostPorts.checkCreate(def.name(), def.spec(), views, !ownUids && UidRange.isRoot());
          return withCreateLayout(def, macs);
        }, false)
        .compose(def -> KnownNetworks.check(vertx, def.spec()).map(def))
        .compose(def -> {
          if (deployments.containsKey(def.name())) {
            return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + def.name() + "' exists"));
          }
          deployments.put(def.name(), "");
          FleetHooks fleet = deps.options().fleet();
          // the name is claimed in the fleet first, then its MACs (unique fleet-wide: FleetMacs); then the disks
          // made from images: a crash in between leaves a directory without a spec, never a VM without its disks
          return fleet.claim(def.name())
              .compose(c -> FleetMacs.claim(vertx, def, macs, RegistryVerticle::withCreateLayout)
                  .compose(d -> ManagedDisks.make(vertx, d.name(), d.spec())
                      .compose(v -> deps.store().create(d.name(), d.json().encodePrettily(), Desired.STOPPED,
                          PciPlans.toJson(d.layout().orElseThrow()))
                          .onFailure(t -> ManagedDisks.discard(vertx, d.name(), d.spec())))
                      .onFailure(t -> FleetMacs.release(vertx, d.name(), FleetMacs.of(d))).map(d))
                  .onFailure(t -> fleet.release(def.name())))
              .onFailure(t -> deployments.remove(def.name()))
              .compose(d -> deploy(d, null, List.of()))
              .compose(id -> view(def.name()))
              .map(VmHandle::toJson);
        });
    reply(m, f);
  }

  /**
   * A new VM from a stopped one: its spec under the new name (new MACs, new UUID) is checked like a create's, the
   * source's actor copies its disks (refusing unless it is down, and refusing a start meanwhile), then the clone is
   * written and deployed. Until its spec is written the clone does not exist; any failure removes its copies.
   */
  private void cloneVm(Message<JsonObject> m) {
    JsonObject body = m.body() == null ? new JsonObject() : m.body();
    VmDefinition source = definitions.get(body.getString("name"));
    if (source == null || body.getValue("name") == null) {
      reply(m, Future.failedFuture(notFound(body.getValue("name") instanceof String s ? s : null)));
      return;
    }
    java.util.Set<String> macs = MacsInUse.of(deps.table().values(), null);
    Future<JsonObject> f = vertx.executeBlocking(() -> {
      String as = Clones.as(body);
      Clones.checkDisks(source.name(), source.spec());
      try {
        return withCreateLayout(parser.parse(Clones.spec(source.json(), as).encode()), macs);
      } catch (VmException e) {
        throw Clones.renamed(e);
      }
    }, false).compose(def -> {
      if (deployments.containsKey(def.name())) {
        return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + def.name() + "' exists"));
      }
      deployments.put(def.name(), "");
      FleetHooks fleet = deps.options().fleet();
      return fleet.claim(def.name())
          .compose(c -> forward(Op.CLONE, body)
              .compose(v -> deps.store().create(def.name(), def.json().encodePrettily(), Desired.STOPPED,
                  PciPlans.toJson(def.layout().orElseThrow()))
                  .onFailure(t -> ManagedDisks.discard(vertx, def.name(), def.spec())))
              .onFailure(t -> fleet.release(def.name())))
          .onFailure(t -> deployments.remove(def.name()))
          .compose(v -> deploy(def, null, List.of()))
          .compose(id -> view(def.name()))
          .map(VmHandle::toJson);
    });
    reply(m, f);
  }

  /** The PCI addresses and NIC MACs a new VM keeps for life: assigned now, stored beside its spec. */
  private static VmDefinition withCreateLayout(VmDefinition def, java.util.Set<String> macsInUse) {
    PciPlan plan = PciPlans.create(def.spec(), macsInUse);
    if (!plan.ok()) {
      throw SpecParser.invalid(plan.violations());
    }
    return def.withLayout(plan.layout());
  }

  private void list(Message<JsonObject> m) {
    var labels = LabelFilter.of(m.body());
    if (labels.problem() != null) {
      labels.problem().failReply(m);
      return;
    }
    JsonArray vms = new JsonArray();
    deps.table().values().stream().sorted((a, b) -> a.name().compareTo(b.name()))
        .filter(h -> labels.matches(h.spec())).forEach(h -> vms.add(h.toJson()));
    m.reply(new JsonObject().put("vms", vms));
  }

  private void delete(Message<JsonObject> m) {
    String name = name(m);
    VmHandle before = name == null ? null : deps.table().get(name);
    java.util.Set<String> ownMacs = before == null ? java.util.Set.of() : MacsInUse.of(List.of(before), null);
    Future<JsonObject> f = forward(Op.DELETE, m.body()).compose(view -> {
      Future<Void> macsBack = FleetMacs.release(vertx, name, ownMacs);
      String id = deployments.remove(name);
      definitions.remove(name);
      // the actor renamed the VM's directory away already: the VM is deleted whatever the clean-up below does
      return vertx.undeploy(id)
          .compose(v -> deps.store().purgeDeleted())
          .transform(ar -> {
            deps.table().remove(name);
            if (ar.failed()) {
              LOG.warning("VM '" + name + "' deleted; removing its files failed (tried again at the next start): "
                  + ar.cause());
            }
            JsonObject done = new JsonObject().put("name", name).put("deleted", true);
            if (view.getValue("keptDisks") != null) {
              done.put("keptDisks", view.getValue("keptDisks"));
            }
            // answered once the fleet directory has forgotten the name: a create of it right after is not a 409
            return Future.join(macsBack, deps.options().fleet().forget(name)).map(done);
          });
    });
    reply(m, f);
  }

  private Future<JsonObject> forward(Op op, JsonObject body) {
    String name = body == null ? null : body.getString("name");
    String id = name == null ? null : deployments.get(name);
    if (id == null || id.isEmpty()) {
      return Future.failedFuture(notFound(name));
    }
    DeliveryOptions opts = new DeliveryOptions().addHeader(VmActor.OP_HEADER, op.verb()).setSendTimeout(timeout(op, name, body).toMillis());
    return vertx.eventBus().<JsonObject>request(VmActor.address(name), body, opts)
        .map(Message::body)
        .recover(t -> Future.failedFuture(t instanceof ReplyException r ? VmException.fromReply(r) : t));
  }

  /** How long the registry waits for an actor; the actor's own timers fire first, this is the safety net. */
  private Duration timeout(Op op, String name, JsonObject body) {
    var o = deps.options();
    switch (op) {
      case START:
        return o.startTimeout().plus(o.commandTimeout()).plus(MARGIN);
      case STOP:
        // a bad graceSeconds (not a number, negative, huge) is the actor's INVALID reply; this only sizes the wait
        Duration grace = body.getValue("graceSeconds") instanceof Number n && n.doubleValue() >= 0
            && n.doubleValue() <= Integer.MAX_VALUE
            ? Duration.ofMillis((long) (n.doubleValue() * 1000)) : definitions.get(name).rules().stopGrace();
        return grace.plus(o.commandTimeout().multipliedBy(2)).plus(Duration.ofSeconds(10)).plus(MARGIN);
      case ATTACH:
      case DETACH:
        // a plan has up to 3 QMP steps plus their undo; detach also waits for DEVICE_DELETED
        Duration wait = body.getValue("timeoutSeconds") instanceof Number n
            ? Duration.ofMillis((long) (n.doubleValue() * 1000)) : Hotplug.DEFAULT_DETACH_TIMEOUT;
        return wait.plus(o.commandTimeout().multipliedBy(6)).plus(MARGIN);
      case SNAPSHOT_CREATE:
      case SNAPSHOT_REVERT:
      case SNAPSHOT_DELETE:
        // a snapshot with memory writes the guest's RAM: the job's own limit (30 min) fires first
        return Duration.ofMinutes(31);
      case CLONE:
        return Clones.COPY_LIMIT.plus(MARGIN);
      default:
        return o.commandTimeout().plus(MARGIN);
    }
  }

  private Future<VmHandle> view(String name) {
    VmHandle h = name == null ? null : deps.table().get(name);
    return h == null ? Future.failedFuture(notFound(name)) : Future.succeededFuture(h);
  }

  private static String name(Message<JsonObject> m) {
    return m.body() == null ? null : m.body().getString("name");
  }

  private static VmException notFound(String name) {
    return new VmException(ErrorCode.NOT_FOUND, name == null ? "missing 'name'" : "no VM named '" + name + "'");
  }

  private static void reply(Message<JsonObject> m, Future<JsonObject> f) {
    Replies.when(m, f);
  }
}

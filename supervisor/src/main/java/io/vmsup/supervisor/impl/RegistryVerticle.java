package io.vmsup.supervisor.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PciPlans;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.FleetHooks;
import io.vmsup.supervisor.api.LabelFilter;
import io.vmsup.supervisor.api.ListEncoded;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.console.ConsoleVerticle;
import io.vmsup.supervisor.launch.LogRotation;
import io.vmsup.supervisor.network.FleetMacs;
import io.vmsup.supervisor.network.HostPorts;
import io.vmsup.supervisor.network.KnownNetworks;
import io.vmsup.supervisor.network.NicAddresses;
import io.vmsup.supervisor.spec.MacsInUse;
import io.vmsup.supervisor.spec.SpecParser;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.store.StoredVm;
import io.vmsup.supervisor.vm.Candidates;
import io.vmsup.supervisor.vm.VmDeps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Owns the VM table: answers create/delete/get/list/clone itself (a new VM through {@link Admission}) and forwards
 * every other command to the VM's actor ({@link Actors#forward}), so a slow VM delays only its own requests; the QMP
 * pass-through is handed over ({@link Actors#handOver}) and answered by the actor to the caller directly. get/list
 * read the snapshots the actors publish into the shared table.
 */
final class RegistryVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(RegistryVerticle.class.getName());
  /** Actors deployed per turn of the registry's event loop at daemon start. */
  static final int DEPLOYS_PER_TURN = 50;

  private final VmDeps deps;
  private final SpecParser parser;
  private final List<StoredVm> stored;
  private Actors actors;

  RegistryVerticle(VmDeps deps, SpecParser parser, List<StoredVm> stored) {
    this.deps = deps;
    this.parser = parser;
    this.stored = stored;
  }

  @Override
  public Future<?> start() {
    actors = new Actors(vertx, deps);
    Admission admission = new Admission(vertx, deps, parser, actors);
    var bus = vertx.eventBus();
    FleetHooks fleet = deps.options().fleet();
    bus.<JsonObject>consumer(fleet.address(Addresses.CREATE), m -> Replies.when(m, create(admission, m)));
    // NICs on managed networks: their addresses from the networks' DHCP leases
    bus.<JsonObject>consumer(fleet.address(Addresses.GET), m -> Replies.when(m, actors.view(name(m))
        .map(VmHandle::toJson).compose(j -> NicAddresses.add(vertx, j))));
    bus.<JsonObject>consumer(fleet.address(Addresses.LIST), this::list);
    bus.<JsonObject>consumer(fleet.address(Addresses.DELETE), this::delete);
    bus.<JsonObject>consumer(fleet.address(Addresses.CLONE), m -> Replies.when(m, admission.cloneVm(m.body())));
    for (Op op : Op.values()) {
      if (op == Op.QUERY) {
        // the daemon's own readers only (metrics): never answered for another member
        bus.<JsonObject>localConsumer(op.address(), m -> Replies.when(m, actors.forward(op, m.body())));
      } else if (op == Op.QMP) {
        // the pass-through: answered by the VM's actor itself, its reply does not come back through here
        bus.<JsonObject>consumer(fleet.address(op.address()), m -> actors.handOver(op, m));
      } else if (op.forwarded()) {
        bus.<JsonObject>consumer(fleet.address(op.address()), m -> Replies.when(m, op == Op.ATTACH
            ? KnownNetworks.checkAttach(vertx, m.body())
                .compose(v -> HostPorts.checkAttach(m.body(), deps.table().values()))
                .compose(v -> actors.forward(op, m.body())) : actors.forward(op, m.body())));
      }
    }
    // after recovery, so it knows which VMs existed before; a child deployment, undeployed with the registry
    // the scan of /proc and the parse of every stored spec on a worker: at 10,000 VMs they took seconds
    return vertx.executeBlocking(() -> new Recovered(Candidates.qemuProcesses(), parseAll(), preloadQmp()), false)
        .compose(this::recoverAll)
        .compose(v -> fleet.announce(actors.names()))
        .compose(v -> vertx.deployVerticle(new ConsoleVerticle(deps)))
        .compose(v -> vertx.deployVerticle(new LogRotation(deps.options().logLimits(), deps.table()::keySet,
            deps.store()::vmDir)));
  }

  /** What the worker read for the recovery: the processes on the host and each stored VM's parsed definition. */
  private record Recovered(Candidates candidates, List<VmDefinition> definitions, int preloaded) {
  }

  /**
   * With QEMUs to re-adopt, loads the QMP connect's classes here on the worker: every actor's first connect at once
   * otherwise loaded them on all event loops together (blocked 5-10 s at load 50-77, Kill9DuringCreateIT).
   */
  private int preloadQmp() {
    return stored.stream().anyMatch(s -> s.runtime() != null) ? io.vmsup.qmp.QmpClient.preloadClasses() : 0;
  }

  /** Parses every stored VM (blocking); one whose stored files no longer parse is reported and left out. */
  private List<VmDefinition> parseAll() {
    List<VmDefinition> out = new ArrayList<>();
    for (StoredVm s : stored) {
      try {
        VmDefinition def = parser.parseStored(s.specJson());
        out.add(s.layoutJson() != null ? def.withLayout(PciPlans.fromJson(s.layoutJson())) : def);
      } catch (IllegalArgumentException e) {
        LOG.severe("PCI layout (pci.json) of VM '" + s.name() + "' is unreadable, not supervising it (its devices"
            + " would move): " + e.getMessage());
      } catch (VmException e) {
        LOG.severe("stored spec of VM '" + s.name() + "' is no longer valid, not supervising it: " + e.toJson());
      }
    }
    return out;
  }

  /**
   * Deploys an actor for each recovered VM, {@value #DEPLOYS_PER_TURN} per turn of the event loop, so thousands of
   * VMs never hold it for long (each actor's own recovery runs on its own context).
   */
  private Future<Void> recoverAll(Recovered found) {
    Map<String, StoredVm> byName = new HashMap<>();
    stored.forEach(s -> byName.put(s.name(), s));
    List<Future<?>> all = new ArrayList<>();
    Promise<Void> deployed = Promise.promise();
    deployFrom(found, byName, 0, all, deployed);
    return deployed.future().compose(v -> Future.join(all)).mapEmpty();
  }

  private void deployFrom(Recovered found, Map<String, StoredVm> byName, int from, List<Future<?>> all,
      Promise<Void> deployed) {
    List<VmDefinition> defs = found.definitions();
    int to = Math.min(defs.size(), from + DEPLOYS_PER_TURN);
    for (VmDefinition def : defs.subList(from, to)) {
      all.add(actors.deploy(def, byName.get(def.name()), found.candidates())
          .onSuccess(id -> FleetMacs.reclaim(vertx, def)));
    }
    if (to == defs.size()) {
      deployed.complete();
    } else {
      context.runOnContext(v -> deployFrom(found, byName, to, all, deployed));
    }
  }

  /** A create, and with the {@link io.vmsup.supervisor.api.CreateAndStart} header its start too. */
  private static Future<JsonObject> create(Admission admission, Message<JsonObject> m) {
    try {
      return admission.create(m.body(), StartOnCreate.requested(m));
    } catch (VmException e) {
      return Future.failedFuture(e);
    }
  }

  private void list(Message<JsonObject> m) {
    var labels = LabelFilter.of(m.body());
    if (labels.problem() != null) {
      labels.problem().failReply(m);
      return;
    }
    if (m.headers().contains(ListEncoded.HEADER)) {
      m.reply(deps.table().list(labels::matches));
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
    Set<String> ownMacs = before == null ? Set.of() : MacsInUse.of(before);
    Future<JsonObject> f = actors.forward(Op.DELETE, m.body()).compose(view -> {
      Future<Void> macsBack = FleetMacs.release(vertx, name, ownMacs);
      String id = actors.remove(name);
      // the name stays taken until this delete has answered: a create of it meanwhile is refused (409), or its new
      // actor would share the VM's addresses with the one being undeployed, and the clean-up below would take the new
      // VM's entry out of the table and its name out of the fleet directory
      actors.reserve(name);
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
          })
          .andThen(x -> actors.release(name));
    });
    Replies.when(m, f);
  }

  private static String name(Message<JsonObject> m) {
    return m.body() == null ? null : m.body().getString("name");
  }
}

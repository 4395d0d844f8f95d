package io.vmsup.supervisor.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PciPlan;
import io.vmsup.config.PciPlans;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.FleetHooks;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.image.Clones;
import io.vmsup.supervisor.image.ManagedDisks;
import io.vmsup.supervisor.launch.UidRange;
import io.vmsup.supervisor.network.FleetMacs;
import io.vmsup.supervisor.network.HostPorts;
import io.vmsup.supervisor.network.KnownNetworks;
import io.vmsup.supervisor.spec.SpecParser;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.store.Desired;
import io.vmsup.supervisor.store.RuntimeRecord;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.supervisor.vm.VmDeps;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * How a new VM enters the registry (a create, or a clone of a stopped VM): its spec is parsed once on a worker and
 * checked against the other VMs, its name is claimed in the fleet, then it is persisted and its actor deployed. Until
 * its spec is written the VM does not exist; a failure on the way gives back what was taken (name, MACs, disks).
 */
final class Admission {

  private final Vertx vertx;
  private final VmDeps deps;
  private final SpecParser parser;
  private final Actors actors;

  Admission(Vertx vertx, VmDeps deps, SpecParser parser, Actors actors) {
    this.vertx = vertx;
    this.deps = deps;
    this.parser = parser;
    this.actors = actors;
  }

  /** {@code vmsup.vm.create}: answers the new VM's view. */
  Future<JsonObject> create(JsonObject body) {
    return create(body, false);
  }

  /**
   * {@code vmsup.vm.create}, with {@code start} ({@link io.vmsup.supervisor.api.CreateAndStart}): the VM's records
   * and its start's intent in one write, then its actor starts it at once; answers the view once RUNNING.
   */
  Future<JsonObject> create(JsonObject body, boolean start) {
    if (body == null) {
      return Future.failedFuture(VmException.invalid("body must be a VM spec", new JsonArray()
          .add(new JsonObject().put("path", "$").put("message", "required"))));
    }
    String text = body.encode();
    Set<String> macs = deps.table().macsInUse(null);
    List<VmHandle> views = List.copyOf(deps.table().values());
    boolean ownUids = deps.options().qemuUids() != null;
    return vertx.executeBlocking(() -> {
          VmDefinition def = parser.parse(text);
          // user NICs' host forwards: a privileged port QEMU cannot bind, a socket another VM's spec forwards
          HostPorts.checkCreate(def.name(), def.spec(), views, !ownUids && UidRange.isRoot());
          return withCreateLayout(def, macs);
        }, false)
        .compose(def -> KnownNetworks.check(vertx, def.spec()).map(def))
        // its MACs are claimed after the name (unique fleet-wide: FleetMacs), then the disks made from images: a
        // crash in between leaves a directory without a spec, never a VM without its disks
        .compose(def -> {
          RuntimeRecord intent = start ? intent(def.name()) : null;
          return admit(def, intent, d0 -> FleetMacs.claim(vertx, d0, macs, Admission::withCreateLayout)
              .compose(d -> ManagedDisks.make(vertx, d.name(), d.spec())
                  .compose(v -> persist(d, intent))
                  .onFailure(t -> FleetMacs.release(vertx, d.name(), FleetMacs.of(d))).map(d)));
        });
  }

  /** The intent of a create-and-start's spawn (pid 0, a fresh nonce), written with the VM's first records. */
  private RuntimeRecord intent(String name) {
    return RuntimeRecord.intent(RuntimeArgs.in(deps.store().vmDir(name)).qmpSocket().toString(),
        deps.clock().instant(), UUID.randomUUID().toString());
  }

  /**
   * {@code vmsup.vm.clone}: the source's spec under the new name (new MACs, new UUID) is checked like a create's, the
   * source's actor copies its disks (refusing unless it is down, and refusing a start meanwhile), then the clone is
   * written and deployed; any failure removes its copies.
   */
  Future<JsonObject> cloneVm(JsonObject request) {
    JsonObject body = request == null ? new JsonObject() : request;
    VmDefinition source = actors.definition(body.getString("name"));
    if (source == null || body.getValue("name") == null) {
      return Future.failedFuture(Actors.notFound(body.getValue("name") instanceof String s ? s : null));
    }
    Set<String> macs = deps.table().macsInUse(null);
    return vertx.executeBlocking(() -> {
      String as = Clones.as(body);
      Clones.linked(body);
      Clones.checkDisks(source.name(), source.spec());
      try {
        return withCreateLayout(parser.parse(Clones.spec(source.json(), as).encode()), macs);
      } catch (VmException e) {
        throw Clones.renamed(e);
      }
    }, false).compose(def -> admit(def, null, d -> (Clones.linked(body)
        // linked: the source's actor writes the clone's records between freezing its disks and committing that
        ? actors.forward(Op.CLONE, Clones.linkedRequest(source.name(), d.name(), d.json(),
            PciPlans.toJson(d.layout().orElseThrow()))).<Void>mapEmpty()
        : actors.forward(Op.CLONE, body).compose(v -> persist(d, null))).map(d)));
  }

  /**
   * Takes the name (here and in the fleet), runs {@code persist} (which gives back what it took when it fails), then
   * deploys the VM's actor and answers its view; with a start's {@code intent} (written by {@code persist}) the
   * actor starts the VM at once and the answer is the start's.
   */
  private Future<JsonObject> admit(VmDefinition def, RuntimeRecord intent,
      Function<VmDefinition, Future<VmDefinition>> persist) {
    if (actors.has(def.name())) {
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + def.name() + "' exists"));
    }
    actors.reserve(def.name());
    FleetHooks fleet = deps.options().fleet();
    return fleet.claim(def.name())
        .compose(c -> persist.apply(def).onFailure(t -> fleet.release(def.name())))
        .onFailure(t -> actors.release(def.name()))
        .compose(d -> actors.deploy(d, null, io.vmsup.supervisor.vm.Candidates.none(), intent))
        .compose(id -> intent == null ? actors.view(def.name()).map(VmHandle::toJson)
            // the VM exists from here on: a failed start is told as such, with the VM's view
            : actors.forward(Op.START, new JsonObject().put("name", def.name())).recover(t -> Future.failedFuture(
                StartOnCreate.startFailed(def.name(), t, deps.table().get(def.name())))));
  }

  /**
   * Writes the VM's directory (spec, desired STOPPED, PCI layout; desired RUNNING and the intent for a
   * create-and-start); a failure discards the disks made for it.
   */
  private Future<Void> persist(VmDefinition d, RuntimeRecord intent) {
    return deps.store().create(d.name(), d.json().encodePrettily(), intent == null ? Desired.STOPPED
            : Desired.RUNNING, PciPlans.toJson(d.layout().orElseThrow()), intent)
        .onFailure(t -> ManagedDisks.discard(vertx, d.name(), d.spec()));
  }

  /** The PCI addresses and NIC MACs a new VM keeps for life: assigned now, stored beside its spec. */
  private static VmDefinition withCreateLayout(VmDefinition def, Set<String> macsInUse) {
    PciPlan plan = PciPlans.create(def.spec(), macsInUse);
    if (!plan.ok()) {
      throw SpecParser.invalid(plan.violations());
    }
    return def.withLayout(plan.layout());
  }
}

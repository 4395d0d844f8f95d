package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.CRASHED;
import static io.vmsup.supervisor.api.VmState.DEFINED;
import static io.vmsup.supervisor.api.VmState.FAILED;
import static io.vmsup.supervisor.api.VmState.STOPPED;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.HostFacts;
import io.vmsup.config.PciPlans;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Op;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.launch.UidRange;
import io.vmsup.supervisor.network.HostPorts;
import io.vmsup.supervisor.network.KnownNetworks;
import io.vmsup.supervisor.spec.ReplacePlan;
import io.vmsup.supervisor.spec.SpecParser;
import io.vmsup.supervisor.spec.VmDefinition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code vmsup.vm.replace}: a VM without a process gets a whole new spec, conditional on its spec version, written
 * through its record ({@code pci.json} as {@link ReplacePlan#firstLayout()}, then {@code spec.json}, each atomically)
 * before the daemon uses it. It is also the gate that keeps a replace apart from the VM's other operations that read
 * or write the spec: while one of them runs a replace is refused, and while a replace runs they are.
 */
final class SpecReplace {

  private static final Set<Op> SPEC_USERS = EnumSet.of(Op.START, Op.DELETE, Op.ATTACH, Op.DETACH, Op.DISK_RESIZE,
      Op.SNAPSHOT_CREATE, Op.SNAPSHOT_REVERT, Op.SNAPSHOT_DELETE, Op.CLONE, Op.REPLACE);

  private final VmCore vm;
  private boolean replacing;
  private int others;

  SpecReplace(VmCore vm) {
    this.vm = vm;
  }

  /** Runs one request of the VM's actor through the gate. */
  Future<JsonObject> gate(Op op, Supplier<Future<JsonObject>> request) {
    if (op == null || !SPEC_USERS.contains(op)) {
      return request.get();
    }
    if (replacing) {
      return Future.failedFuture(busy("its spec is being replaced"));
    }
    if (op == Op.REPLACE && others > 0) {
      return Future.failedFuture(busy("another operation of it (start, delete, hot-plug, disk, snapshot or clone) is in"
          + " progress"));
    }
    if (op == Op.REPLACE) {
      replacing = true;
    } else {
      others++;
    }
    Future<JsonObject> f;
    try {
      f = request.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.onComplete(ar -> {
      if (op == Op.REPLACE) {
        replacing = false;
      } else {
        others--;
      }
    });
  }

  /** The replace itself: body {@code {"name","spec","ifMatch"?}} (see {@code Addresses.REPLACE}). */
  Future<JsonObject> replace(JsonObject body) {
    if (!(body.getValue("spec") instanceof JsonObject spec)) {
      return Future.failedFuture(invalid("spec", "must be a VM spec (a JSON object)"));
    }
    List<String> versions;
    try {
      versions = versions(body.getValue("ifMatch"));
    } catch (VmException e) {
      return Future.failedFuture(e);
    }
    if (!vm.name().equals(spec.getValue("name"))) {
      return Future.failedFuture(invalid("name", "must be \"" + vm.name() + "\", the name of the VM whose spec it"
          + " replaces: a VM cannot be renamed"));
    }
    admissible(versions);
    VmDefinition old = vm.definition();
    String text = spec.encode();
    Set<String> macs = vm.deps().table().macsInUse(vm.name());
    var o = vm.options();
    List<io.vmsup.supervisor.api.VmHandle> others = List.copyOf(vm.deps().table().values());
    return vm.vertx().executeBlocking(() -> {
          VmDefinition parsed = SpecParser.create(HostFacts.probe(), o.qemuBinary(), o.pathRoots()).parse(text);
          // as at create: host forwards QEMU could not bind, or that another VM's spec forwards
          HostPorts.checkCreate(vm.name(), parsed.spec(), others, o.qemuUids() == null && UidRange.isRoot());
          return ReplacePlan.of(old, parsed, macs);
        }, false)
        .compose(plan -> KnownNetworks.check(vm.vertx(), plan.definition().spec()).map(plan))
        .compose(plan -> {
          // checked again: the parse ran on a worker, and the VM's state or spec may have moved meanwhile
          admissible(versions);
          if (vm.definition() != old) {
            throw new VmException(ErrorCode.CONFLICT, "VM '" + vm.name() + "' changed while its new spec was"
                + " checked; try again");
          }
          return commit(plan);
        });
  }

  private Future<JsonObject> commit(ReplacePlan plan) {
    VmDefinition next = plan.definition();
    String first = plan.firstLayout() == null ? null : PciPlans.toJson(plan.firstLayout());
    return vm.record().spec(next.json().encodePrettily(), first, true)
        .recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t, "keeps its spec (not replaced)")))
        .map(v -> {
          vm.redefine(next);
          if (plan.layout() != null && !plan.layout().equals(plan.firstLayout())) {
            // frees the removed devices' slots; the written layout serves the new spec as well meanwhile
            vm.record().layout(PciPlans.toJson(plan.layout())).onFailure(t -> VmCore.LOG.warning(vm.name()
                + ": spec replaced; freeing the removed devices' PCI slots is not on disk yet (retried): " + t));
          }
          VmCore.LOG.info(vm.name() + ": spec replaced (version " + vm.specVersion() + ")");
          return vm.view();
        });
  }

  /** Throws PRECONDITION_FAILED or CONFLICT unless the replace may go on now. */
  private void admissible(List<String> versions) {
    if (versions != null && !versions.contains(vm.specVersion())) {
      throw new VmException(ErrorCode.PRECONDITION_FAILED, "VM '" + vm.name() + "' has spec version "
          + vm.specVersion() + ", not " + (versions.isEmpty() ? "a strong version" : String.join(" or ", versions))
          + " as the request requires: read the VM again, apply the change to its spec and send that version",
          new JsonObject().put("specVersion", vm.specVersion()).put("state", vm.state().json()));
    }
    vm.require("replace the spec of", DEFINED, STOPPED, CRASHED, FAILED);
    if (vm.state() == CRASHED && vm.restarts().isPending()) {
      throw new VmException(ErrorCode.CONFLICT, "VM '" + vm.name() + "' is CRASHED with an automatic restart"
          + " pending; stop it first (vmsup vm stop " + vm.name() + ")",
          new JsonObject().put("state", vm.state().json()));
    }
  }

  private static List<String> versions(Object given) {
    if (given == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    if (given instanceof JsonArray list) {
      for (Object v : list) {
        if (!(v instanceof String s)) {
          throw invalid("ifMatch", "must be a list of spec versions (strings)");
        }
        out.add(s);
      }
      return out;
    }
    throw invalid("ifMatch", "must be a list of spec versions (strings)");
  }

  private VmException busy(String why) {
    return new VmException(ErrorCode.CONFLICT, "VM '" + vm.name() + "' is busy: " + why + "; try again when it is"
        + " done", new JsonObject().put("state", vm.state().json()));
  }

  private static VmException invalid(String path, String message) {
    return VmException.invalid(path + ": " + message, new JsonArray()
        .add(new JsonObject().put("path", path).put("message", message)));
  }
}

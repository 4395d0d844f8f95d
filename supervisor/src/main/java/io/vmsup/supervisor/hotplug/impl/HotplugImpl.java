package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.config.Device;
import io.vmsup.config.EditableSpec;
import io.vmsup.config.HotplugPlan;
import io.vmsup.config.Nic;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciPlan;
import io.vmsup.config.PciPlans;
import io.vmsup.config.QmpHotplug;
import io.vmsup.config.QmpStep;
import io.vmsup.supervisor.api.SupervisorOptions;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.hotplug.Hotplug;
import io.vmsup.supervisor.hotplug.HotplugHost;
import io.vmsup.supervisor.launch.QmpSteps;
import io.vmsup.supervisor.launch.HandOver;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.spec.SpecParser;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Attach/detach for one VM, one operation at a time, on the actor's context. */
public final class HotplugImpl implements Hotplug {

  private final Vertx vertx;
  private final HotplugHost host;
  private final SpecCheck check;
  private final DeletedWaiters deleted;
  private final CpuPlug cpus;
  private Future<?> tail = Future.succeededFuture();

  public HotplugImpl(Vertx vertx, HotplugHost host, SupervisorOptions options) {
    this.vertx = vertx;
    this.host = host;
    this.check = new SpecCheck(vertx, options.qemuBinary(), options::pathRoots);
    this.deleted = new DeletedWaiters(vertx);
    this.cpus = new CpuPlug(host, check, deleted);
  }

  @Override
  public Future<JsonObject> attach(JsonObject body) {
    return serial(() -> doAttach(body));
  }

  @Override
  public Future<JsonObject> detach(JsonObject body) {
    return serial(() -> doDetach(body));
  }

  @Override
  public void onEvent(QmpEvent event) {
    deleted.onEvent(event);
  }

  private <T> Future<T> serial(Supplier<Future<T>> op) {
    Future<T> f = tail.transform(ar -> {
      try {
        return op.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    tail = f;
    return f;
  }

  private Future<JsonObject> doAttach(JsonObject body) {
    if (!(body.getValue("device") instanceof JsonObject device)) {
      return Future.failedFuture(invalid("device", "required: a device object as in a spec's devices"));
    }
    boolean live = live("attach a device to");
    if ("cpu".equals(device.getValue("kind"))) {
      return cpus.attach(device, live);
    }
    EditableSpec spec = host.spec();
    int index = spec.spec().devices().size();
    String text = device.encode();
    return check.check(spec, s -> s.withDevice(text), index).compose(c -> {
      String id = device.getString("id");
      Device typed = c.spec().device(id).orElseThrow();
      String kind = typed.kind().json();
      if (live && !QmpHotplug.supports(typed)) {
        return Future.failedFuture(invalid("device.kind", "a " + kind + " cannot be hot-plugged (stop the VM to "
            + "add it to the spec)"));
      }
      Optional<PciLayout> layout = host.layout();
      if (layout.isPresent()) {
        PciPlan placed = live ? PciPlans.attach(c.spec(), layout.get(), id, host.macsInUse())
            : PciPlans.complete(c.spec(), layout.get(), host.macsInUse());
        if (!placed.ok()) {
          return Future.failedFuture(SpecCheck.renamed(SpecParser.invalid(placed.violations()),
              "devices[" + index + "]"));
        }
        layout = Optional.of(placed.layout());
      }
      VmDefinition def = layout.map(c.definition()::withLayout).orElse(c.definition());
      PciLayout pci = layout.orElse(PciLayout.empty());
      // a disk the daemon makes ("image"/"size") is made first and removed again if the attach fails before the
      // spec names it
      return host.making(typed, "device").compose(opened -> live
          ? plug(opened, pci).recover(t -> unmade(typed, t))
              .compose(steps -> Commit.guarded(host, true, def).map(v -> result(host, id, kind, true, steps)))
          : Commit.guarded(host, false, def).recover(t -> unmade(typed, t))
              .map(v -> result(host, id, kind, false, new JsonArray())));
    });
  }

  // the device left the spec: a failure to remove its made disk is a warning (the daemon's next start removes it)
  private Future<Void> unmadeAfter(Device typed, JsonArray warnings) {
    return host.unmade(typed).recover(t -> {
      warnings.add("the disk's file was not removed (the daemon's next start removes it): " + t.getMessage());
      return Future.succeededFuture();
    });
  }

  private <T> Future<T> unmade(Device typed, Throwable t) {
    return host.unmade(typed).transform(x -> Future.failedFuture(t));
  }

  private Future<JsonArray> plug(Device typed, PciLayout layout) {
    HotplugPlan plan = QmpHotplug.plan(typed, layout);
    // what the daemon makes for the device (a NIC on a network: its tap) before it is opened and plugged
    return host.plugging(typed, "device").compose(made -> {
      // a tap or macvtap: the daemon opens it and passes the descriptors its netdev_add names
      Future<List<String>> fds = typed instanceof Nic n && n.handedOver()
          ? HandOver.pass(vertx, host, n, HandOver.Prepared.none()) : Future.succeededFuture(List.of());
      return fds.compose(names -> Steps.runWithRollback(host, plan.steps(), plan.undo())
          .recover(t -> HandOver.closeAll(host, names).transform(x -> Future.<List<String>>failedFuture(t)))
          .map(done -> {
            JsonArray steps = new JsonArray();
            names.forEach(name -> steps.add("getfd"));
            return steps.addAll(new JsonArray(done));
          }));
    }).recover(t -> host.unplugged(typed).transform(x -> Future.<JsonArray>failedFuture(t)));
  }

  private Future<JsonObject> doDetach(JsonObject body) {
    if (!(body.getValue("id") instanceof String id) || id.isEmpty()) {
      return Future.failedFuture(invalid("id", "required: the id of a device"));
    }
    Duration timeout = Hotplug.DEFAULT_DETACH_TIMEOUT;
    if (body.containsKey("timeoutSeconds")) {
      if (!(body.getValue("timeoutSeconds") instanceof Number n) || n.doubleValue() < 0) {
        return Future.failedFuture(invalid("timeoutSeconds", "must be a number >= 0"));
      }
      timeout = Duration.ofMillis((long) (n.doubleValue() * 1000));
    }
    boolean live = live("detach a device from");
    if (id.startsWith(CpuPlug.PREFIX)) {
      return cpus.detach(id, live, timeout);
    }
    EditableSpec spec = host.spec();
    Optional<Device> gone = spec.spec().device(id);
    if (gone.isEmpty()) {
      return Future.failedFuture(new VmException(ErrorCode.NOT_FOUND,
          "VM '" + host.name() + "' has no device '" + id + "'"));
    }
    Device typed = gone.get();
    Duration wait = timeout;
    return check.check(spec, s -> s.withoutDevice(id), -1).compose(checked -> {
      // a detached device frees its address; the others keep theirs
      VmDefinition next = host.layout().map(l -> checked.definition().withLayout(l.without(id)))
          .orElse(checked.definition());
      if (!live) {
        JsonArray warnings = new JsonArray();
        return Commit.guarded(host, false, next).compose(v -> unmadeAfter(typed, warnings))
            .map(v -> {
              JsonObject r = result(host, id, typed.kind().json(), false, new JsonArray());
              return warnings.isEmpty() ? r : r.put("warnings", warnings);
            });
      }
      if (!QmpHotplug.supports(typed)) {
        return Future.failedFuture(invalid("id", "a " + typed.kind().json() + " cannot be hot-unplugged"));
      }
      HotplugPlan plan = QmpHotplug.plan(typed, host.layout().orElse(PciLayout.empty()));
      JsonArray done = new JsonArray();
      JsonArray warnings = new JsonArray();
      return unplug(plan, 0, id, wait, done, warnings)
          .compose(v -> host.unplugged(typed))
          .compose(v -> Commit.guarded(host, live, next))
          .compose(v -> unmadeAfter(typed, warnings))
          .map(v -> {
            JsonObject r = result(host, id, typed.kind().json(), true, done);
            return warnings.isEmpty() ? r : r.put("warnings", warnings);
          });
    });
  }

  /**
   * The plan's undo steps, newest first: {@code device_del} (awaited through {@code DEVICE_DELETED}) must succeed;
   * after it the backends' removal failures are only warnings, the device being gone from the guest already.
   */
  private Future<Void> unplug(HotplugPlan plan, int i, String id, Duration timeout, JsonArray done,
      JsonArray warnings) {
    var undo = plan.undoAfter(plan.steps().size());
    if (i == undo.size()) {
      return Future.succeededFuture();
    }
    QmpStep s = undo.get(i);
    Future<Void> step;
    if ("device_del".equals(s.command())) {
      step = Unplug.deviceDel(host, deleted, id, false, timeout);
    } else {
      step = host.execute(QmpSteps.command(s)).<Void>mapEmpty().recover(t -> {
        if (done.contains("device_del")) {
          warnings.add(s.command() + " " + s.arguments() + ": " + t.getMessage());
          return Future.succeededFuture();
        }
        return Future.failedFuture(t);
      });
    }
    return step.compose(v -> {
      done.add(s.command());
      return unplug(plan, i + 1, id, timeout, done, warnings);
    });
  }

  /** True for RUNNING/PAUSED (plug live), false without a process (edit the spec only); CONFLICT otherwise. */
  private boolean live(String what) {
    VmState s = host.state();
    if (s == VmState.RUNNING || s == VmState.PAUSED) {
      return true;
    }
    if (s.hasProcess()) {
      throw new VmException(ErrorCode.CONFLICT, "cannot " + what + " VM '" + host.name() + "' while " + s.json(),
          new JsonObject().put("state", s.json()));
    }
    return false;
  }

  static JsonObject result(HotplugHost host, String id, String kind, boolean live, JsonArray steps) {
    return new JsonObject().put("name", host.name()).put("id", id).put("kind", kind).put("live", live)
        .put("steps", steps);
  }

  private static VmException invalid(String path, String message) {
    return VmException.invalid(path + ": " + message, new JsonArray()
        .add(new JsonObject().put("path", path).put("message", message)));
  }
}

package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vmsup.config.EditableSpec;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciPlans;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpFd;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.hotplug.HotplugHost;
import io.vmsup.supervisor.spec.VmDefinition;
import java.util.Optional;

/** The actor's VM as the hot-plug code sees it: spec, state, QMP, and the spec's durable replacement. */
final class HotplugBinding implements HotplugHost {

  private static final String IMAGES = "images-below:";

  private final VmCore vm;

  HotplugBinding(VmCore vm) {
    this.vm = vm;
  }

  @Override
  public String name() {
    return vm.name();
  }

  @Override
  public EditableSpec spec() {
    return EditableSpec.of(vm.definition().spec(), vm.definition().json().encode());
  }

  @Override
  public VmState state() {
    return vm.state();
  }

  @Override
  public Future<Void> passFd(String name, QmpFd fd) {
    Incarnation run = vm.run();
    if (run == null || run.qmp() == null) {
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + vm.name() + "' has no QMP connection"));
    }
    return run.qmp().passFd(name, fd);
  }

  @Override
  public <T> Future<T> execute(QmpCommand<T> command) {
    return HotplugGrants.around(vm, command, () -> vm.qmp(command, vm.options().commandTimeout()));
  }

  @Override
  public Optional<PciLayout> layout() {
    return vm.definition().layout();
  }

  @Override
  public Future<Void> plugging(io.vmsup.config.Device device, String path) {
    if (device instanceof io.vmsup.config.Nic n && !n.hostForwards().isEmpty()) {
      return NicTaps.forwards(vm, io.vmsup.supervisor.network.HostPorts.of(vm.name(), n, path));
    }
    return device instanceof io.vmsup.config.Nic n && n.network().isPresent()
        ? NicTaps.make(vm, n, path + ".network") : Future.succeededFuture();
  }

  @Override
  public Future<io.vmsup.config.Device> making(io.vmsup.config.Device device, String at) {
    java.nio.file.Path dir = vm.deps().store().vmDir(vm.name());
    return io.vmsup.supervisor.image.ManagedDisks.attach(vm.vertx(), vm.name(), dir, device, at)
        .compose(opened -> {
          // a QEMU under its own uid reads the images below the new disk: granted like the disk itself
          var c = vm.state().hasProcess() ? vm.confinement().grants() : null;
          return c == null || opened == device ? Future.succeededFuture(opened) : vm.vertx().executeBlocking(() -> {
            c.extend(IMAGES + device.id(), io.vmsup.supervisor.image.ManagedDisks.images(dir, device.id(), at));
            return opened;
          }, false);
        });
  }

  @Override
  public Future<Void> unmade(io.vmsup.config.Device device) {
    var c = vm.confinement().grants();
    Future<Void> revoked = c == null ? Future.succeededFuture() : vm.vertx().executeBlocking(() -> {
      c.revoke(IMAGES + device.id());
      return null;
    }, false);
    return revoked.compose(v -> io.vmsup.supervisor.image.ManagedDisks.detached(vm.vertx(), vm.name(), device));
  }

  @Override
  public Future<Void> unplugged(io.vmsup.config.Device device) {
    return device instanceof io.vmsup.config.Nic n && n.network().isPresent()
        ? NicTaps.drop(vm, n) : Future.succeededFuture();
  }

  @Override
  public java.util.Set<String> macsInUse() {
    return vm.deps().table().macsInUse(vm.name());
  }

  @Override
  public Future<Void> commit(VmDefinition definition) {
    boolean live = vm.state().hasProcess();
    Future<Void> written = vm.record().spec(definition.json().encodePrettily(),
        definition.layout().map(PciPlans::toJson).orElse(null), !live);
    if (live) {
      // the device is plugged into QEMU already: the daemon's spec says so even if the disk does not take it yet
      vm.redefine(definition);
      return written.recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t,
          "has the device change live in QEMU and in the daemon's copy of its spec")));
    }
    return written.onSuccess(v -> vm.redefine(definition))
        .recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t, "is unchanged (spec edit not applied)")));
  }
}

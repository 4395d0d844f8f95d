package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.EditableSpec;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciPlans;

import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.hotplug.HotplugHost;
import io.vmsup.supervisor.spec.VmDefinition;
import java.util.Optional;

/** The actor's VM as the hot-plug code sees it: spec, state, QMP, and the spec's durable replacement. */
final class HotplugBinding implements HotplugHost {

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
    return EditableSpec.of(vm.def.spec(), vm.def.json().encode());
  }

  @Override
  public VmState state() {
    return vm.sm.state();
  }

  @Override
  public Future<Object> execute(String command, JsonObject arguments) {
    if (vm.run == null || vm.run.qmp() == null) {
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + vm.name() + "' has no QMP connection"));
    }
    return vm.run.qmp().execute(command, arguments, vm.deps.options().commandTimeout());
  }

  @Override
  public Optional<PciLayout> layout() {
    return vm.def.layout();
  }

  @Override
  public java.util.Set<String> macsInUse() {
    return io.vmsup.supervisor.spec.MacsInUse.of(vm.deps.table().values(), vm.name());
  }

  @Override
  public Future<Void> commit(VmDefinition definition) {
    boolean live = vm.sm.state().hasProcess();
    Future<Void> written = vm.record.spec(definition.json().encodePrettily(),
        definition.layout().map(PciPlans::toJson).orElse(null), !live);
    if (live) {
      // the device is plugged into QEMU already: the daemon's spec says so even if the disk does not take it yet
      vm.def = definition;
      vm.refresh();
      return written.recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t,
          "has the device change live in QEMU and in the daemon's copy of its spec")));
    }
    return written.onSuccess(v -> {
      vm.def = definition;
      vm.refresh();
    }).recover(t -> Future.failedFuture(PersistReplies.outcome(vm, t, "is unchanged (spec edit not applied)")));
  }
}

package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.hotplug.HotplugHost;
import io.vmsup.supervisor.spec.VmDefinition;
import io.vmsup.supervisor.store.AtomicFiles;
import java.nio.charset.StandardCharsets;

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
  public JsonObject spec() {
    return vm.def.json();
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
  public Future<Void> commit(VmDefinition definition) {
    byte[] text = definition.json().encodePrettily().getBytes(StandardCharsets.UTF_8);
    return vm.vertx.<Void>executeBlocking(() -> {
      AtomicFiles.write(vm.deps.store().vmDir(vm.name()).resolve("spec.json"), text);
      return null;
    }).onSuccess(v -> {
      vm.def = definition;
      vm.refresh();
    });
  }
}

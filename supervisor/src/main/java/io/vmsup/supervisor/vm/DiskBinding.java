package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.VmSpec;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.image.DiskHost;
import java.nio.file.Path;
import java.time.Duration;

/** The actor's VM as its disk operations (snapshots, resize) see it. */
final class DiskBinding implements DiskHost {

  private final VmCore vm;

  DiskBinding(VmCore vm) {
    this.vm = vm;
  }

  @Override
  public String name() {
    return vm.name();
  }

  @Override
  public Vertx vertx() {
    return vm.vertx();
  }

  @Override
  public VmState state() {
    return vm.state();
  }

  @Override
  public VmSpec spec() {
    return vm.definition().spec();
  }

  @Override
  public Path vmDir() {
    return vm.deps().store().vmDir(vm.name());
  }

  @Override
  public <T> Future<T> qmp(QmpCommand<T> command, Duration timeout) {
    return vm.qmp(command, timeout);
  }

  @Override
  public void publish(JsonObject event) {
    vm.events().publish(event);
  }
}

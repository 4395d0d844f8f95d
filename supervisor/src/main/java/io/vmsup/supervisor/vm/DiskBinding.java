package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.HostFacts;
import io.vmsup.config.PciPlans;
import io.vmsup.config.VmSpec;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.spec.SpecParser;
import io.vmsup.supervisor.spec.VmDefinition;
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
  public Future<Void> createRecords(String vm, String specJson, String layoutJson) {
    return this.vm.deps().store().create(vm, specJson, io.vmsup.supervisor.store.Desired.STOPPED, layoutJson);
  }

  @Override
  public Future<Void> resized(String disk, long bytes) {
    JsonObject json = vm.definition().json().copy();
    boolean made = false;
    for (Object o : json.getJsonArray("devices", new io.vertx.core.json.JsonArray())) {
      if (o instanceof JsonObject d && disk.equals(d.getValue("id")) && "disk".equals(d.getValue("kind"))
          && (d.containsKey("image") || d.containsKey("size"))) {
        d.put("size", bytes);
        made = true;
      }
    }
    if (!made) {
      return Future.succeededFuture();
    }
    var layout = vm.definition().layout();
    var options = vm.options();
    return vm.vertx().executeBlocking(() -> {
      VmDefinition def = SpecParser.create(HostFacts.probe(), options.qemuBinary(), options.pathRoots())
          .parseStored(json.encode());
      return layout.map(def::withLayout).orElse(def);
    }, false).compose(def -> {
      vm.redefine(def);
      return vm.record().spec(def.json().encodePrettily(), def.layout().map(PciPlans::toJson).orElse(null), false);
    });
  }

  @Override
  public void publish(JsonObject event) {
    vm.events().publish(event);
  }
}

package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.EditableSpec;
import io.vmsup.qmp.HotpluggableCpu;
import io.vmsup.qmp.QmpDeviceCommands;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.hotplug.HotplugHost;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * CPU hot-plug. config-model has no CPU device: the spec records CPUs as {@code smp.cpus}, which must stay within
 * {@code smp.maxCpus}. A plugged CPU is the first free slot of {@code query-hotpluggable-cpus} (lowest socket, core,
 * thread), added with its driver and topology ids as {@code vmsup-cpu-S-C-T} (the {@code vmsup-} prefix is never a
 * spec id). After a restart the CPU is a boot CPU without an id and cannot be unplugged by id.
 */
final class CpuPlug {

  static final String PREFIX = "vmsup-cpu-";

  private final HotplugHost host;
  private final SpecCheck check;
  private final DeletedWaiters deleted;

  CpuPlug(HotplugHost host, SpecCheck check, DeletedWaiters deleted) {
    this.host = host;
    this.check = check;
    this.deleted = deleted;
  }

  Future<JsonObject> attach(JsonObject device, boolean live) {
    if (device.size() != 1) {
      return Future.failedFuture(VmException.invalid("a cpu takes no fields besides kind", new JsonArray()
          .add(new JsonObject().put("path", "device").put("message", "must be {\"kind\": \"cpu\"}"))));
    }
    return check.check(host.spec(), EditableSpec::withOneMoreCpu, -1).compose(c -> {
      if (!live) {
        return Commit.guarded(host, false, c.definition())
            .map(v -> HotplugImpl.result(host, null, "cpu", false, new JsonArray()));
      }
      return host.execute(QmpDeviceCommands.queryHotpluggableCpus()).compose(slots -> {
        Optional<HotpluggableCpu> free = freeSlot(slots);
        if (free.isEmpty()) {
          return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + host.name()
              + "' has no free CPU slot (smp.maxCpus reached)"));
        }
        JsonObject props = free.get().props();
        String id = PREFIX + props.getInteger("socket-id", 0) + "-" + props.getInteger("core-id", 0) + "-"
            + props.getInteger("thread-id", 0);
        return host.execute(QmpDeviceCommands.cpuAdd(free.get(), id))
            .compose(r -> Commit.guarded(host, live, c.definition()))
            .map(v -> HotplugImpl.result(host, id, "cpu", true, new JsonArray().add("device_add")));
      });
    });
  }

  Future<JsonObject> detach(String id, boolean live, Duration timeout) {
    if (!live) {
      return Future.failedFuture(new VmException(ErrorCode.NOT_FOUND, "CPU '" + id + "' exists only while QEMU "
          + "runs; lower smp.cpus in the spec instead"));
    }
    return check.check(host.spec(), EditableSpec::withOneCpuLess, -1)
        .compose(c -> Unplug.deviceDel(host, deleted, id, true, timeout)
            .compose(v -> Commit.guarded(host, live, c.definition()))
            .map(v -> HotplugImpl.result(host, id, "cpu", true, new JsonArray().add("device_del"))));
  }

  /** The free slot with the lowest socket, core and thread. */
  private static Optional<HotpluggableCpu> freeSlot(List<HotpluggableCpu> slots) {
    Comparator<HotpluggableCpu> order = Comparator.comparingInt((HotpluggableCpu c) -> topology(c, "socket-id"))
        .thenComparingInt(c -> topology(c, "core-id"))
        .thenComparingInt(c -> topology(c, "thread-id"));
    return slots.stream().filter(HotpluggableCpu::isFree).min(order);
  }

  private static int topology(HotpluggableCpu slot, String id) {
    return slot.props().getInteger(id, 0);
  }
}

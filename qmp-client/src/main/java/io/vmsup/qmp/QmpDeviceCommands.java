package io.vmsup.qmp;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.Decoders;
import java.util.List;

/** Device, network backend, CPU and memory commands. {@link QmpOperations} builds the multi-step ones. */
public final class QmpDeviceCommands {

  private QmpDeviceCommands() {
  }

  /** {@code device_add} of {@code driver} with {@code id} and the device's own properties. */
  public static QmpCommand<Void> deviceAdd(String driver, String id, JsonObject props) {
    JsonObject args = props == null ? new JsonObject() : props.copy();
    args.put("driver", driver);
    if (id != null) {
      args.put("id", id);
    }
    return QmpCommand.noResult("device_add", args);
  }

  /**
   * {@code device_del}: only <em>requests</em> removal; the device is gone when {@code DEVICE_DELETED} arrives.
   * {@link QmpOperations#deviceDel} waits for it.
   */
  public static QmpCommand<Void> deviceDel(String id) {
    return QmpCommand.noResult("device_del", new JsonObject().put("id", id));
  }

  /**
   * {@code netdev_add} of {@code type} ({@code user}, {@code tap}, {@code socket}, ...). For passed descriptors
   * first bind them with {@link QmpFdCommands#getfd} and give their names here, for example
   * {@code {"fd": "tap0"}} or {@code {"fds": "q0:q1", "vhostfds": "v0:v1"}}.
   */
  public static QmpCommand<Void> netdevAdd(String type, String id, JsonObject props) {
    JsonObject args = props == null ? new JsonObject() : props.copy();
    return QmpCommand.noResult("netdev_add", args.put("type", type).put("id", id));
  }

  public static QmpCommand<Void> netdevDel(String id) {
    return QmpCommand.noResult("netdev_del", new JsonObject().put("id", id));
  }

  public static QmpCommand<List<CpuInfo>> queryCpusFast() {
    return QmpCommand.of("query-cpus-fast", null, ret -> Decoders.list(ret, Decoders::cpu));
  }

  public static QmpCommand<List<HotpluggableCpu>> queryHotpluggableCpus() {
    return QmpCommand.of("query-hotpluggable-cpus", null, ret -> Decoders.list(ret, Decoders::hotpluggableCpu));
  }

  /** {@code device_add} of a CPU into a free slot from {@link #queryHotpluggableCpus()}. */
  public static QmpCommand<Void> cpuAdd(HotpluggableCpu slot, String id) {
    return deviceAdd(slot.type(), id, slot.props());
  }

  public static QmpCommand<List<MemoryDeviceInfo>> queryMemoryDevices() {
    return QmpCommand.of("query-memory-devices", null, ret -> Decoders.list(ret, Decoders::memoryDevice));
  }

  /** {@code object-add} of a {@code memory-backend-ram} of {@code sizeBytes}. */
  public static QmpCommand<Void> memoryBackendRam(String id, long sizeBytes) {
    return QmpCommands.objectAdd("memory-backend-ram", id, new JsonObject().put("size", sizeBytes));
  }

  /** {@code object-add} of a {@code memory-backend-file} (for NVDIMM: a file on the host, shared). */
  public static QmpCommand<Void> memoryBackendFile(String id, String path, long sizeBytes, boolean share) {
    return QmpCommands.objectAdd("memory-backend-file", id,
        new JsonObject().put("mem-path", path).put("size", sizeBytes).put("share", share));
  }

  /** {@code device_add} of a {@code pc-dimm} backed by {@code memdev}. */
  public static QmpCommand<Void> pcDimmAdd(String id, String memdev) {
    return deviceAdd("pc-dimm", id, new JsonObject().put("memdev", memdev));
  }

  /** {@code device_add} of an {@code nvdimm} backed by {@code memdev} (needs {@code -machine ...,nvdimm=on}). */
  public static QmpCommand<Void> nvdimmAdd(String id, String memdev) {
    return deviceAdd("nvdimm", id, new JsonObject().put("memdev", memdev));
  }

  /**
   * {@code device_add} of a {@code vhost-vsock-pci} with {@code guest-cid} (needs {@code /dev/vhost-vsock}).
   *
   * @param bus a hotplug-capable bus (on q35 a {@code pcie-root-port}), or {@code null} for QEMU's choice
   */
  public static QmpCommand<Void> vsockAdd(String id, long guestCid, String bus) {
    JsonObject props = new JsonObject().put("guest-cid", guestCid);
    if (bus != null) {
      props.put("bus", bus);
    }
    return deviceAdd("vhost-vsock-pci", id, props);
  }
}

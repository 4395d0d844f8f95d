package io.vmsup.config.impl;

import io.vmsup.config.Chardev;
import io.vmsup.config.Device;
import io.vmsup.config.DeviceKind.BusType;
import io.vmsup.config.Dimm;
import io.vmsup.config.Disk;
import io.vmsup.config.Iothread;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.Nvdimm;
import io.vmsup.config.ScsiController;
import io.vmsup.config.SerialPort;
import io.vmsup.config.VirtioConsole;
import io.vmsup.config.VirtioSerialPort;
import io.vmsup.config.VmSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Device ids and references: duplicates, dangling references, buses, single-use backends, machine fit. */
final class DeviceRefs {

  private final VmSpec spec;
  private final List<String> paths;
  private final Problems p;
  private final Map<String, Integer> byId = new HashMap<>();
  private final Map<String, String> usedBy = new HashMap<>();

  private DeviceRefs(VmSpec spec, List<String> paths, Problems p) {
    this.spec = spec;
    this.paths = paths;
    this.p = p;
  }

  static void check(VmSpec spec, List<String> paths, Problems p) {
    DeviceRefs r = new DeviceRefs(spec, paths, p);
    r.ids();
    for (int i = 0; i < spec.devices().size(); i++) {
      r.device(i, spec.devices().get(i));
    }
    new DeviceRules(spec, paths, p).check();
  }

  private void ids() {
    for (int i = 0; i < spec.devices().size(); i++) {
      String id = spec.devices().get(i).id();
      if (id.isEmpty()) {
        continue;
      }
      Integer first = byId.putIfAbsent(id, i);
      p.check(first == null, paths.get(i) + ".id",
          "duplicate id \"" + id + "\" (also " + (first == null ? "" : paths.get(first)) + ")");
    }
  }

  private void device(int i, Device d) {
    String path = paths.get(i);
    bus(path, d);
    if (d instanceof SerialPort s) {
      single(path + ".chardev", s.chardev(), Chardev.class, "chardev");
    } else if (d instanceof VirtioConsole c) {
      single(path + ".chardev", c.chardev(), Chardev.class, "chardev");
    } else if (d instanceof VirtioSerialPort s) {
      single(path + ".chardev", s.chardev(), Chardev.class, "chardev");
    } else if (d instanceof Disk x) {
      x.iothread().ifPresent(t -> ref(path + ".iothread", t, Iothread.class, "iothread"));
    } else if (d instanceof ScsiController x) {
      x.iothread().ifPresent(t -> ref(path + ".iothread", t, Iothread.class, "iothread"));
    } else if (d instanceof Dimm x) {
      single(path + ".memdev", x.memdev(), MemoryBackend.class, "memory-backend");
    } else if (d instanceof Nvdimm x) {
      single(path + ".memdev", x.memdev(), MemoryBackend.class, "memory-backend")
          .filter(b -> ((MemoryBackend) b).type() != MemoryBackend.Type.FILE)
          .ifPresent(b -> p.add(path + ".memdev", "an nvdimm needs a memory-backend of type \"file\""));
    }
  }

  /** A reference that must name a device of the given class. */
  private Optional<Device> ref(String path, String id, Class<? extends Device> type, String kind) {
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Integer target = byId.get(id);
    if (target == null || !type.isInstance(spec.devices().get(target))) {
      p.add(path, "no " + kind + " device with id \"" + id + "\"");
      return Optional.empty();
    }
    return Optional.of(spec.devices().get(target));
  }

  /** A reference to a backend that only one frontend may use. */
  private Optional<Device> single(String path, String id, Class<? extends Device> type, String kind) {
    Optional<Device> target = ref(path, id, type, kind);
    target.ifPresent(t -> {
      String previous = usedBy.putIfAbsent(t.id(), path);
      p.check(previous == null, path, kind + " \"" + id + "\" is already used by " + previous);
    });
    return target;
  }

  private void bus(String path, Device d) {
    BusType needs = Buses.needs(d);
    Optional<String> root = spec.machine().rootBus();
    Optional<String> parent = Buses.parentId(d);
    if (needs == BusType.PCI && root.isEmpty()) {
      p.add(path, "a " + d.kind().json() + " needs a PCI bus, which machine \"" + spec.machine().type()
          + "\" does not have; use q35 or pc");
      return;
    }
    if (parent.isEmpty() || parent.get().isEmpty()) {
      return;
    }
    String bus = parent.get();
    if (bus.equals("pcie.0") || bus.equals("pci.0")) {
      p.check(needs == BusType.PCI && root.filter(bus::equals).isPresent(), path + ".bus",
          "machine \"" + spec.machine().type() + "\" has no bus \"" + bus + "\""
              + root.map(r -> "; its root bus is \"" + r + "\"").orElse(""));
      return;
    }
    Integer target = byId.get(bus);
    if (target == null) {
      p.add(path + ".bus", "no device with id \"" + bus + "\" provides a " + busName(needs) + " bus");
      return;
    }
    Device parentDevice = spec.devices().get(target);
    if (Buses.provides(parentDevice) != needs) {
      p.add(path + ".bus", "\"" + bus + "\" is a " + parentDevice.kind().json() + ", which provides no "
          + busName(needs) + " bus; " + busName(needs) + " buses come from " + providers(needs));
      return;
    }
    if (cycle(d)) {
      p.add(path + ".bus", "bus references form a cycle");
    }
  }

  private boolean cycle(Device start) {
    Device d = start;
    for (int steps = 0; steps <= spec.devices().size(); steps++) {
      Optional<Device> parent = Buses.parentId(d).map(byId::get).map(spec.devices()::get);
      if (parent.isEmpty()) {
        return false;
      }
      if (parent.get() == start) {
        return true;
      }
      d = parent.get();
    }
    return true;
  }

  private static String busName(BusType t) {
    return switch (t) {
      case PCI -> "PCI";
      case SCSI -> "SCSI";
      case VIRTIO_SERIAL -> "virtio-serial";
      default -> "any";
    };
  }

  private static String providers(BusType t) {
    return switch (t) {
      case PCI -> "pci-bridge, pcie-pci-bridge and pcie-root-port devices";
      case SCSI -> "scsi-controller devices";
      case VIRTIO_SERIAL -> "virtio-serial devices";
      default -> "nowhere";
    };
  }
}

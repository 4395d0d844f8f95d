package io.vmsup.config.impl;

import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.Nic;
import io.vmsup.config.PciOptions;
import io.vmsup.config.PciPlaced;
import io.vmsup.config.PciSlot;
import io.vmsup.config.VmSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rules of {@code addr}, {@code disableModern} and {@code romfile}: which kinds take them, and that user-pinned
 * addresses exist on their bus and do not clash (a clash names both paths).
 */
final class PciRules {

  private final VmSpec spec;
  private final List<String> paths;
  private final Problems p;
  private final PciBuses buses;
  private final Map<String, String> pinned = new HashMap<>();

  private PciRules(VmSpec spec, List<String> paths, Problems p) {
    this.spec = spec;
    this.paths = paths;
    this.p = p;
    this.buses = new PciBuses(spec, List.of());
  }

  static void check(VmSpec spec, List<String> paths, Problems p) {
    PciRules r = new PciRules(spec, paths, p);
    for (int i = 0; i < spec.devices().size(); i++) {
      if (spec.devices().get(i) instanceof PciPlaced x) {
        r.device(paths.get(i), spec.devices().get(i), x.pci());
      }
    }
    for (int i = 0; i < spec.devices().size(); i++) {
      if (spec.devices().get(i) instanceof PciPlaced x) {
        r.functionZero(paths.get(i), spec.devices().get(i), x.pci());
      }
    }
  }

  private void device(String path, Device d, PciOptions o) {
    if (!PciBuses.onPci(d)) {
      String why = "is only for PCI devices; this " + d.kind().json() + " is not one (see its model)";
      p.check(o.addr().isEmpty(), path + ".addr", why);
      p.check(!o.disableModern(), path + ".disableModern", why);
      p.check(o.romfile().isEmpty(), path + ".romfile", why);
      return;
    }
    Optional<String> bus = PciBuses.busOf(spec, d);
    if (o.disableModern()) {
      legacy(path, d, bus);
    }
    o.romfile().ifPresent(r -> p.check(takesRom(d), path + ".romfile", "a " + d.kind().json()
        + " has no option ROM; romfile is for disk, nic, vfio and virtio devices"));
    o.addr().ifPresent(a -> addr(path, bus, a));
  }

  private void legacy(String path, Device d, Optional<String> bus) {
    if (!isTransitionalVirtio(d)) {
      p.add(path + ".disableModern", "a " + d.kind().json() + describeModel(d) + " has no legacy virtio mode;"
          + " disableModern is for virtio disk, nic, 9p, virtio-serial, scsi-controller, vhost-user-blk,"
          + " vhost-user-scsi, rng and balloon devices");
      return;
    }
    boolean behindPort = bus.flatMap(buses::type).filter(t -> t == PciBuses.Type.ROOT_PORT).isPresent();
    p.check(!behindPort, path + ".disableModern", "QEMU makes a virtio device behind a pcie-root-port modern-only"
        + " (\"" + bus.orElse("") + "\"): legacy virtio needs the root bus, a pci-bridge or a pcie-pci-bridge");
  }

  private void addr(String path, Optional<String> bus, PciSlot a) {
    if (bus.isEmpty()) {
      p.add(path + ".addr", "machine \"" + spec.machine().type() + "\" has no PCI bus that vmsup addresses");
      return;
    }
    List<Integer> slots = buses.slots(bus.get());
    if (!slots.isEmpty() && !slots.contains(a.slot())) {
      p.add(path + ".addr", "slot " + String.format("%02x", a.slot()) + " is not free on bus \"" + bus.get()
          + "\"; usable slots: " + describe(slots));
      return;
    }
    String key = bus.get() + ":" + a.toQemu();
    String previous = pinned.putIfAbsent(key, path);
    p.check(previous == null, path + ".addr", "address " + key + " is already used by " + previous + ".addr");
  }

  private void functionZero(String path, Device d, PciOptions o) {
    if (o.addr().isEmpty() || o.addr().get().function() == 0 || !PciBuses.onPci(d)) {
      return;
    }
    String zero = PciBuses.busOf(spec, d).orElse("") + ":" + new PciSlot(o.addr().get().slot(), 0).toQemu();
    p.check(pinned.containsKey(zero), path + ".addr", "function " + o.addr().get().function()
        + " needs a device pinned at function 0 of the same slot (" + zero + ")");
  }

  static boolean isTransitionalVirtio(Device d) {
    return switch (d.kind()) {
      case DISK -> ((Disk) d).model() == Disk.Model.VIRTIO_BLK;
      case NIC -> ((Nic) d).model() == Nic.Model.VIRTIO_NET;
      case VIRTIO_SERIAL, FILESYSTEM_9P, SCSI_CONTROLLER, VHOST_USER_BLK, VHOST_USER_SCSI, RNG, BALLOON -> true;
      default -> false;
    };
  }

  private static boolean takesRom(Device d) {
    return switch (d.kind()) {
      case PCI_BRIDGE, PCIE_PCI_BRIDGE, PCIE_ROOT_PORT, PVPANIC -> false;
      default -> true;
    };
  }

  private static String describeModel(Device d) {
    if (d instanceof Nic n) {
      return " of model " + ArgvRenderer.lower(n.model());
    }
    return "";
  }

  private static String describe(List<Integer> slots) {
    StringBuilder out = new StringBuilder();
    for (int s : slots) {
      out.append(out.length() == 0 ? "" : " ").append(String.format("%02x", s));
    }
    return out.toString();
  }
}

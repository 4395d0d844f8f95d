package io.vmsup.config.impl;

import io.vmsup.config.Device;
import io.vmsup.config.DeviceKind;
import io.vmsup.config.Disk;
import io.vmsup.config.Machine;
import io.vmsup.config.PciPlaced;
import io.vmsup.config.PlannedPort;
import io.vmsup.config.Pvpanic;
import io.vmsup.config.VmSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PCI buses of a spec and which slots each offers: the machine's root bus, every bridge and root port of the
 * spec, and the daemon's planned root ports.
 */
final class PciBuses {

  /** What kind of bus a name stands for. */
  enum Type { PCIE_ROOT, PCI_ROOT, ROOT_PORT, BRIDGE }

  private final Map<String, Type> buses = new LinkedHashMap<>();
  private final Set<Integer> reservedRoot = new TreeSet<>();

  PciBuses(VmSpec spec, List<PlannedPort> ports) {
    Machine m = spec.machine();
    m.rootBus().ifPresent(root -> buses.put(root, m.isQ35() ? Type.PCIE_ROOT : Type.PCI_ROOT));
    // q35: 00.0 host bridge, 1f.x ICH9 (LPC, SATA, SMBus); pc: 00.0 host bridge, 01.x PIIX3. The slot QEMU gives a
    // -vga card (q35 01, pc 02) stays free; without -nodefaults so does the next one, for QEMU's default NIC.
    reservedRoot.add(0);
    reservedRoot.add(1);
    reservedRoot.add(m.isQ35() ? 0x1f : 2);
    if (!spec.knobs().noDefaults()) {
      reservedRoot.add(m.isQ35() ? 2 : 3);
    }
    for (Device d : spec.devices()) {
      switch (d.kind()) {
        case PCIE_ROOT_PORT -> buses.put(d.id(), Type.ROOT_PORT);
        case PCI_BRIDGE, PCIE_PCI_BRIDGE -> buses.put(d.id(), Type.BRIDGE);
        default -> { }
      }
    }
    ports.forEach(p -> buses.put(p.id(), Type.ROOT_PORT));
  }

  /** True when the device sits on a PCI bus (a scsi-hd disk and an ISA pvpanic do not). */
  static boolean onPci(Device d) {
    return d instanceof PciPlaced && Buses.needs(d) == DeviceKind.BusType.PCI
        && !(d instanceof Disk x && x.model() == Disk.Model.SCSI_HD)
        && !(d instanceof Pvpanic x && x.model() == Pvpanic.Model.ISA);
  }

  /** The bus a device names, or the root bus when it names none. */
  static Optional<String> busOf(VmSpec spec, Device d) {
    Optional<String> parent = Buses.parentId(d);
    return parent.isPresent() ? parent : spec.machine().rootBus();
  }

  Optional<Type> type(String bus) {
    return Optional.ofNullable(buses.get(bus));
  }

  /** The slots a device may use on the bus, in assignment order. */
  List<Integer> slots(String bus) {
    Type t = buses.get(bus);
    if (t == null) {
      return List.of();
    }
    return switch (t) {
      case ROOT_PORT -> List.of(0);
      case BRIDGE -> range(1, 31, Set.of());
      default -> range(0, 31, reservedRoot);
    };
  }

  /** True when QEMU accepts hot-plug on the bus: not on q35's pcie.0. */
  boolean hotPluggable(String bus) {
    return type(bus).filter(t -> t != Type.PCIE_ROOT).isPresent();
  }

  private static List<Integer> range(int from, int to, Set<Integer> skip) {
    List<Integer> out = new java.util.ArrayList<>();
    for (int s = from; s <= to; s++) {
      if (!skip.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}

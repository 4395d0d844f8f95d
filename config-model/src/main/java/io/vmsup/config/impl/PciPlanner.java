package io.vmsup.config.impl;

import io.vmsup.config.Device;
import io.vmsup.config.Nic;
import io.vmsup.config.PciAddress;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciPlaced;
import io.vmsup.config.PciPlan;
import io.vmsup.config.PciSlot;
import io.vmsup.config.PlannedPort;
import io.vmsup.config.PcieRootPort;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Assigns PCI addresses, deterministically (the same spec and layout give the same result): addresses already in
 * the layout are kept; user-pinned ones ({@code addr}) are taken next; every other PCI device gets the lowest free
 * slot of its bus, devices in render order (parents first). At create time on q35, spare root ports are planned on
 * the lowest slots left.
 */
public final class PciPlanner {

  static final String PORT_PREFIX = "vmsup-port";
  /** Chassis number of planned root ports; their PCIe slot numbers count from 1, skipping pairs the spec uses. */
  static final int PORT_CHASSIS = 254;

  private final VmSpec spec;
  private final Map<String, String> owner = new HashMap<>();
  private final List<Violation> problems = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();
  private PciLayout layout;
  private PciBuses buses;

  private PciPlanner(VmSpec spec, PciLayout layout) {
    this.spec = spec;
    this.layout = layout;
    this.buses = new PciBuses(spec, layout.ports());
    for (int i = 0; i < spec.devices().size(); i++) {
      index.put(spec.devices().get(i).id(), i);
    }
    layout.devices().forEach((id, a) -> owner.put(key(a), id));
    layout.ports().forEach(p -> owner.put(key(p.address()), p.id()));
  }

  /** Completes a layout: every PCI device of the spec without an address gets one; {@code newPorts} spare ports. */
  public static PciPlan plan(VmSpec spec, PciLayout existing, int newPorts) {
    PciPlanner p = new PciPlanner(spec, existing);
    if (spec.machine().rootBus().isEmpty()) {
      return new PciPlan(existing, List.of());
    }
    List<Device> order = DeviceOrder.sorted(spec.devices());
    for (Device d : order) {
      if (PciBuses.onPci(d) && existing.address(d.id()).isEmpty() && pinned(d).isPresent()) {
        p.pin(d);
      }
    }
    List<Device> ownPort = new ArrayList<>();
    for (Device d : order) {
      if (PciBuses.onPci(d) && p.layout.address(d.id()).isEmpty() && pinned(d).isEmpty()) {
        if (needsOwnPort(spec, d)) {
          ownPort.add(d);
        } else {
          PciBuses.busOf(spec, d).ifPresent(bus -> p.assign(d, bus));
        }
      }
    }
    if (spec.machine().isQ35()) {
      p.ports(newPorts);
      for (Device d : ownPort) {
        int before = p.layout.ports().size();
        p.ports(1);
        if (p.layout.ports().size() == before) {
          break; // no slot left on the root bus: ports() said so
        }
        PlannedPort port = p.layout.ports().get(before);
        p.take(d.id(), new PciAddress(port.id(), new PciSlot(0, 0)));
      }
    }
    return p.problems.isEmpty() ? new PciPlan(p.layout, List.of()) : new PciPlan(existing, p.problems);
  }

  /**
   * The address of one device being hot-plugged into a running VM: its pinned {@code addr} or the lowest free slot
   * of its bus; without a {@code bus} on q35, the first free planned root port. The bus must take hot-plug.
   */
  public static PciPlan attach(VmSpec spec, PciLayout existing, String id) {
    PciPlanner p = new PciPlanner(spec, existing);
    Device d = spec.device(id).orElseThrow(() -> new IllegalArgumentException("no device " + id));
    if (!PciBuses.onPci(d) || existing.address(id).isPresent() || spec.machine().rootBus().isEmpty()) {
      return new PciPlan(existing, List.of());
    }
    Optional<String> bus = Buses.parentId(d);
    if (bus.isEmpty() && spec.machine().isQ35()) {
      bus = existing.ports().stream().map(PlannedPort::id).filter(port -> p.free(port, 0)).findFirst();
      if (bus.isEmpty()) {
        p.fail(d, "", "no free hot-plug port: the VM's " + existing.ports().size() + " spare pcie-root-ports are"
            + " in use; name a free pcie-root-port of the spec as bus, or create the VM with more"
            + " machine.hotplugPorts");
        return new PciPlan(existing, p.problems);
      }
    }
    String target = bus.orElse(spec.machine().rootBus().get());
    if (!p.buses.hotPluggable(target)) {
      p.fail(d, ".bus", "bus \"" + target + "\" does not take hot-plug; leave bus out to get a spare"
          + " pcie-root-port, or name a free one");
    } else if (((PciPlaced) d).pci().disableModern() && p.buses.type(target).orElse(null) == PciBuses.Type.ROOT_PORT) {
      p.fail(d, ".disableModern", "the device would sit behind pcie-root-port \"" + target + "\", where QEMU makes"
          + " virtio modern-only; name a pci-bridge or pcie-pci-bridge bus for legacy virtio");
    } else if (pinned(d).isPresent()) {
      p.pinOn(d, target);
    } else {
      p.assign(d, target);
    }
    return p.problems.isEmpty() ? new PciPlan(p.layout, List.of()) : new PciPlan(existing, p.problems);
  }

  /**
   * A tap or macvtap NIC on q35 without a bus: it is plugged over QMP after start (see {@code Nic#handedOver}), and
   * q35's root bus takes no hot-plug, so it gets a planned root port of its own.
   */
  private static boolean needsOwnPort(VmSpec spec, Device d) {
    return spec.machine().isQ35() && d instanceof Nic n && n.handedOver() && n.bus().isEmpty();
  }

  /** The layout plus the user-pinned address of every device it lacks (rendering a spec without a stored layout). */
  static PciLayout withPinned(VmSpec spec, PciLayout layout) {
    PciLayout out = layout;
    for (Device d : spec.devices()) {
      if (PciBuses.onPci(d) && layout.address(d.id()).isEmpty() && pinned(d).isPresent()) {
        Optional<String> bus = PciBuses.busOf(spec, d);
        if (bus.isPresent()) {
          out = out.with(d.id(), new PciAddress(bus.get(), pinned(d).get()));
        }
      }
    }
    return out;
  }

  public static List<String> pciDeviceIds(VmSpec spec) {
    return spec.devices().stream().filter(PciBuses::onPci).map(Device::id).toList();
  }

  private static Optional<PciSlot> pinned(Device d) {
    return ((PciPlaced) d).pci().addr();
  }

  private void pin(Device d) {
    PciBuses.busOf(spec, d).ifPresent(bus -> pinOn(d, bus));
  }

  private void pinOn(Device d, String bus) {
    PciAddress a = new PciAddress(bus, pinned(d).get());
    String previous = owner.get(key(a));
    if (previous != null) {
      fail(d, ".addr", "address " + a + " is already used by " + describe(previous));
      return;
    }
    take(d.id(), a);
  }

  private void assign(Device d, String bus) {
    for (int slot : buses.slots(bus)) {
      if (free(bus, slot)) {
        take(d.id(), new PciAddress(bus, new PciSlot(slot, 0)));
        return;
      }
    }
    fail(d, "", "no free PCI slot left on bus \"" + bus + "\"" + (buses.type(bus).orElse(null)
        == PciBuses.Type.ROOT_PORT ? " (a pcie-root-port holds one device)" : ""));
  }

  private void ports(int count) {
    Set<String> pairs = new HashSet<>();
    spec.devices().stream().filter(d -> d instanceof PcieRootPort).map(d -> (PcieRootPort) d)
        .forEach(r -> pairs.add(r.chassis() + "/" + r.slot()));
    layout.ports().forEach(r -> pairs.add(r.chassis() + "/" + r.portSlot()));
    List<PlannedPort> ports = new ArrayList<>(layout.ports());
    String root = spec.machine().rootBus().orElseThrow();
    int portSlot = 1;
    for (int n = 0; n < count; n++) {
      while (pairs.contains(PORT_CHASSIS + "/" + portSlot)) {
        portSlot++;
      }
      Optional<Integer> slot = buses.slots(root).stream().filter(s -> free(root, s)).findFirst();
      if (slot.isEmpty()) {
        problems.add(new Violation("machine.hotplugPorts", "no free slot on " + root + " for " + count
            + " spare root ports; lower it"));
        return;
      }
      PlannedPort port = new PlannedPort(PORT_PREFIX + ports.size(), PORT_CHASSIS, portSlot++,
          new PciAddress(root, new PciSlot(slot.get(), 0)));
      ports.add(port);
      owner.put(key(port.address()), port.id());
      layout = layout.withPorts(ports);
    }
    buses = new PciBuses(spec, layout.ports());
  }

  /** A slot is free when no function of it is taken. */
  private boolean free(String bus, int slot) {
    for (int f = 0; f < 8; f++) {
      if (owner.containsKey(key(new PciAddress(bus, new PciSlot(slot, f))))) {
        return false;
      }
    }
    return true;
  }

  private void take(String id, PciAddress a) {
    owner.put(key(a), id);
    layout = layout.with(id, a);
  }

  private void fail(Device d, String field, String message) {
    problems.add(new Violation("devices[" + index.get(d.id()) + "]" + field, message));
  }

  private String describe(String id) {
    Integer i = index.get(id);
    return i == null ? id : "devices[" + i + "] (\"" + id + "\")";
  }

  private static String key(PciAddress a) {
    return a.bus() + ":" + a.slot().toQemu();
  }
}

package io.vmsup.config.impl;

import io.vmsup.config.Device;
import io.vmsup.config.DeviceKind;
import io.vmsup.config.Dimm;
import io.vmsup.config.Disk;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.Nic;
import io.vmsup.config.Nvdimm;
import io.vmsup.config.PciBridge;
import io.vmsup.config.PcieRootPort;
import io.vmsup.config.Pvpanic;
import io.vmsup.config.Size;
import io.vmsup.config.Vfio;
import io.vmsup.config.VhostUserBlk;
import io.vmsup.config.VmSpec;
import io.vmsup.config.Vsock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Per-device rules that need the whole spec: machine fit, uniqueness of addresses, memory prerequisites. */
final class DeviceRules {

  private final VmSpec spec;
  private final List<String> paths;
  private final Problems p;
  private final Map<String, String> seen = new HashMap<>();
  private final ForwardRules forwards;

  DeviceRules(VmSpec spec, List<String> paths, Problems p) {
    this.spec = spec;
    this.paths = paths;
    this.p = p;
    this.forwards = new ForwardRules(p);
  }

  void check() {
    for (int i = 0; i < spec.devices().size(); i++) {
      Device d = spec.devices().get(i);
      String path = paths.get(i);
      machineFit(path, d);
      unique(path, d);
      memory(path, d);
      bootIndex(path, d);
    }
    rootPortOccupancy();
    limits();
  }

  private void bootIndex(String path, Device d) {
    OptionalInt index = OptionalInt.empty();
    if (d instanceof Disk x) {
      index = x.bootIndex();
    } else if (d instanceof Nic x) {
      index = x.bootIndex();
    } else if (d instanceof VhostUserBlk x) {
      index = x.bootIndex();
    } else if (d instanceof Vfio x) {
      index = x.bootIndex();
    }
    index.ifPresent(i -> once("bootindex " + i, path + ".bootIndex", "boot index " + i + " is already used by "));
  }

  /** Counts QEMU enforces: one ISA pvpanic (fixed I/O port), four ISA UARTs (the supervisor's log takes COM1), slots. */
  private void limits() {
    List<Device> all = spec.devices();
    long isaPanics = all.stream().filter(d -> d instanceof Pvpanic x && x.model() == Pvpanic.Model.ISA).count();
    p.check(isaPanics <= 1, "devices", "at most one pvpanic of model \"isa\", found " + isaPanics);
    long uarts = all.stream().filter(d -> d.kind() == DeviceKind.SERIAL_PORT).count();
    p.check(uarts <= 3, "devices", "at most 3 serial-port devices (the supervisor's serial log uses the first"
        + " port), found " + uarts);
    long dimms = all.stream().filter(d -> d.kind() == DeviceKind.DIMM || d.kind() == DeviceKind.NVDIMM).count();
    spec.memory().slots().ifPresent(slots -> p.check(dimms <= slots, "memory.slots",
        "has " + slots + " slots but the spec has " + dimms + " dimm/nvdimm devices"));
    // saturating sums: backend sizes near Long.MAX_VALUE must be a violation, not an overflow (found by SpecFuzzTest)
    long plugged = all.stream().mapToLong(this::dimmBytes).reduce(0L, DeviceRules::saturatedAdd);
    long need = saturatedAdd(spec.memory().size().bytes(), plugged);
    spec.memory().max().ifPresent(max -> p.check(need <= max.bytes(),
        "memory.max", "is " + max.toQemu() + " but memory.size plus the dimm/nvdimm backends need "
            + (need == Long.MAX_VALUE ? "more than 8E bytes" : new Size(need).toQemu())));
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private long dimmBytes(Device d) {
    String memdev = d instanceof Dimm x ? x.memdev() : d instanceof Nvdimm x ? x.memdev() : null;
    if (memdev == null) {
      return 0;
    }
    return spec.device(memdev).filter(b -> b instanceof MemoryBackend)
        .map(b -> ((MemoryBackend) b).size().bytes()).orElse(0L);
  }

  private void machineFit(String path, Device d) {
    DeviceKind k = d.kind();
    if (k == DeviceKind.PCIE_ROOT_PORT || k == DeviceKind.PCIE_PCI_BRIDGE) {
      p.check(spec.machine().isQ35(), path, "a " + k.json() + " needs a q35 machine, not \""
          + spec.machine().type() + "\"");
    }
    boolean isa = k == DeviceKind.SERIAL_PORT || d instanceof Pvpanic x && x.model() == Pvpanic.Model.ISA;
    if (isa) {
      p.check(spec.machine().isPcFamily(), path, "an ISA " + k.json() + " needs a pc or q35 machine, not \""
          + spec.machine().type() + "\"");
    }
    if (d instanceof Nic n && n.handedOver()) {
      handedOver(path, n);
    }
  }

  /** A tap or macvtap NIC is plugged over QMP once the daemon has passed its descriptors: it needs hot-plug. */
  private void handedOver(String path, Nic n) {
    String why = "a " + ArgvRenderer.lower(n.backend()) + " NIC is plugged over QMP after QEMU starts (the daemon"
        + " hands it the descriptors it opens)";
    if (spec.machine().isQ35()) {
      boolean onRoot = n.bus().map("pcie.0"::equals).orElse(n.pci().addr().isPresent());
      p.check(!onRoot, path + (n.bus().isPresent() ? ".bus" : ".addr"), why + ": on q35 it cannot sit on pcie.0,"
          + " which takes no hot-plug; leave bus and addr out (it gets a pcie-root-port of its own) or name a"
          + " pcie-root-port or bridge as bus");
    }
  }

  private void unique(String path, Device d) {
    if (d instanceof PcieRootPort r) {
      once("root-port " + r.chassis() + "/" + r.slot(), path + ".slot",
          "chassis " + r.chassis() + " slot " + r.slot() + " is already used by ");
    } else if (d instanceof PciBridge b) {
      once("bridge " + b.chassisNr(), path + ".chassisNr", "chassis " + b.chassisNr() + " is already used by ");
    } else if (d instanceof Vsock v) {
      once("cid " + v.cid(), path + ".cid", "guest CID " + v.cid() + " is already used by ");
    } else if (d instanceof Nic n && n.mac().isPresent()) {
      once("mac " + n.mac().get().toLowerCase(Locale.ROOT), path + ".mac",
          "MAC " + n.mac().get() + " is already used by ");
    }
    if (d instanceof Nic n) {
      forwards.check(path, n);
    }
    if (d instanceof Nic n && n.ifname().isPresent()) {
      once("ifname " + n.ifname().get(), path + ".ifname", "tap " + n.ifname().get() + " is already used by ");
    }
  }

  private void once(String key, String path, String message) {
    String previous = seen.putIfAbsent(key, path);
    p.check(previous == null, path, message + previous);
  }

  private void memory(String path, Device d) {
    DeviceKind k = d.kind();
    if (k == DeviceKind.DIMM || k == DeviceKind.NVDIMM) {
      p.check(spec.memory().slots().isPresent(), path, "a " + k.json() + " needs memory.slots and memory.max");
    }
    if (k == DeviceKind.NVDIMM) {
      p.check(spec.machine().nvdimm(), path, "an nvdimm needs machine.nvdimm: true");
    }
    boolean vhostUser = k == DeviceKind.VIRTIO_FS || k == DeviceKind.VHOST_USER_BLK
        || k == DeviceKind.VHOST_USER_SCSI || d instanceof Nic n && n.backend() == Nic.Backend.VHOST_USER;
    if (vhostUser) {
      p.check(sharedRam(), path, "a vhost-user device (" + k.json() + ") needs shared guest RAM: set memory.shared"
          + " to true (or, with numa, share: true on every node's memory-backend)");
    }
  }

  private boolean sharedRam() {
    if (spec.numa().isEmpty()) {
      return spec.memory().shared();
    }
    return spec.numa().stream().allMatch(n -> spec.device(n.memdev())
        .filter(d -> d instanceof MemoryBackend b && b.share()).isPresent());
  }

  private void rootPortOccupancy() {
    Map<String, String> occupant = new HashMap<>();
    for (int i = 0; i < spec.devices().size(); i++) {
      Device d = spec.devices().get(i);
      Optional<String> parent = Buses.parentId(d);
      if (parent.isEmpty() || spec.device(parent.get()).filter(x -> x instanceof PcieRootPort).isEmpty()) {
        continue;
      }
      String previous = occupant.putIfAbsent(parent.get(), paths.get(i));
      p.check(previous == null, paths.get(i) + ".bus", "pcie-root-port \"" + parent.get()
          + "\" holds one device and already has " + previous);
    }
  }
}

package io.vmsup.config.impl;

import io.vmsup.config.Device;
import io.vmsup.config.DeviceKind;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.Nic;
import io.vmsup.config.PciBridge;
import io.vmsup.config.PcieRootPort;
import io.vmsup.config.Pvpanic;
import io.vmsup.config.VmSpec;
import io.vmsup.config.Vsock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Per-device rules that need the whole spec: machine fit, uniqueness of addresses, memory prerequisites. */
final class DeviceRules {

  private final VmSpec spec;
  private final List<String> paths;
  private final Problems p;
  private final Map<String, String> seen = new HashMap<>();

  DeviceRules(VmSpec spec, List<String> paths, Problems p) {
    this.spec = spec;
    this.paths = paths;
    this.p = p;
  }

  void check() {
    for (int i = 0; i < spec.devices().size(); i++) {
      Device d = spec.devices().get(i);
      String path = paths.get(i);
      machineFit(path, d);
      unique(path, d);
      memory(path, d);
    }
    rootPortOccupancy();
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
      once("mac " + n.mac().get().toLowerCase(java.util.Locale.ROOT), path + ".mac",
          "MAC " + n.mac().get() + " is already used by ");
    } else if (d instanceof Nic n && n.ifname().isPresent()) {
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

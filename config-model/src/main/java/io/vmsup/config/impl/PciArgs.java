package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceArgs.device;

import io.vmsup.config.PciBridge;
import io.vmsup.config.PciePciBridge;
import io.vmsup.config.PcieRootPort;
import io.vmsup.config.Vfio;
import java.util.List;

/** PCI topology (bridges, root ports) and VFIO pass-through. */
final class PciArgs {

  private PciArgs() {
  }

  static List<QemuArg> pciBridge(PciBridge b) {
    return List.of(device(QemuOpts.of("pci-bridge").add("id", b.id()).add("bus", b.bus())
        .add("chassis_nr", b.chassisNr()).add("shpc", b.shpc())));
  }

  static List<QemuArg> pciePciBridge(PciePciBridge b) {
    return List.of(device(QemuOpts.of("pcie-pci-bridge").add("id", b.id()).add("bus", b.bus())));
  }

  static List<QemuArg> rootPort(PcieRootPort p) {
    return List.of(device(QemuOpts.of("pcie-root-port").add("id", p.id()).add("bus", "pcie.0")
        .add("chassis", p.chassis()).add("slot", p.slot())));
  }

  static List<QemuArg> vfio(Vfio v) {
    return List.of(device(QemuOpts.of("vfio-pci").add("id", v.id()).add("host", v.host()).add("bus", v.bus())
        .add("bootindex", v.bootIndex())));
  }
}

package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceArgs.device;

import io.vmsup.config.PciAddress;
import io.vmsup.config.PciBridge;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciOptions;
import io.vmsup.config.PciePciBridge;
import io.vmsup.config.PcieRootPort;
import io.vmsup.config.PlannedPort;
import io.vmsup.config.Vfio;
import java.util.List;
import java.util.Optional;

/** PCI topology (bridges, root ports) and VFIO pass-through. */
final class PciArgs {

  private PciArgs() {
  }

  /** Adds the layout's address and the spec's PCI options to a device's -device options. */
  static void placed(QemuOpts dev, PciOptions options, Optional<PciAddress> address, PciLayout layout) {
    address.ifPresent(a -> {
      dev.placeOn(a.bus(), a.slot().toQemu());
      boolean more = a.slot().function() == 0 && layout.used().stream().anyMatch(o -> o.bus().equals(a.bus())
          && o.slot().slot() == a.slot().slot() && o.slot().function() != 0);
      dev.addIfTrue("multifunction", more);
    });
    dev.addIfTrue("disable-modern", options.disableModern());
    options.romfile().ifPresent(r -> dev.add("romfile", r));
  }

  /** A root port the daemon planned for hot-plug. */
  static QemuArg plannedPort(PlannedPort p) {
    return device(QemuOpts.of("pcie-root-port").add("id", p.id()).placeOn(p.address().bus(),
        p.address().slot().toQemu()).add("chassis", p.chassis()).add("slot", p.portSlot()));
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

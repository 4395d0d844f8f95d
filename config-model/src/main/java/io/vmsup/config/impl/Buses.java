package io.vmsup.config.impl;

import io.vmsup.config.Balloon;
import io.vmsup.config.Device;
import io.vmsup.config.DeviceKind.BusType;
import io.vmsup.config.Disk;
import io.vmsup.config.Filesystem9p;
import io.vmsup.config.Nic;
import io.vmsup.config.PciBridge;
import io.vmsup.config.PciePciBridge;
import io.vmsup.config.Pvpanic;
import io.vmsup.config.Rng;
import io.vmsup.config.ScsiController;
import io.vmsup.config.Vfio;
import io.vmsup.config.VhostUserBlk;
import io.vmsup.config.VhostUserScsi;
import io.vmsup.config.VirtioConsole;
import io.vmsup.config.VirtioFs;
import io.vmsup.config.VirtioSerial;
import io.vmsup.config.VirtioSerialPort;
import io.vmsup.config.Vsock;
import java.util.Optional;

/** Which bus a device sits on and which bus it provides. */
final class Buses {

  private Buses() {
  }

  /** The id named by the device's {@code bus} field, if any. */
  static Optional<String> parentId(Device d) {
    if (d instanceof Disk x) {
      return x.bus();
    } else if (d instanceof Nic x) {
      return x.bus();
    } else if (d instanceof VirtioSerial x) {
      return x.bus();
    } else if (d instanceof VirtioConsole x) {
      return Optional.of(x.bus());
    } else if (d instanceof VirtioSerialPort x) {
      return Optional.of(x.bus());
    } else if (d instanceof Filesystem9p x) {
      return x.bus();
    } else if (d instanceof VirtioFs x) {
      return x.bus();
    } else if (d instanceof VhostUserBlk x) {
      return x.bus();
    } else if (d instanceof VhostUserScsi x) {
      return x.bus();
    } else if (d instanceof Vfio x) {
      return x.bus();
    }
    return parentIdMore(d);
  }

  private static Optional<String> parentIdMore(Device d) {
    if (d instanceof ScsiController x) {
      return x.bus();
    } else if (d instanceof PciBridge x) {
      return x.bus();
    } else if (d instanceof PciePciBridge x) {
      return x.bus();
    } else if (d instanceof Vsock x) {
      return x.bus();
    } else if (d instanceof Rng x) {
      return x.bus();
    } else if (d instanceof Balloon x) {
      return x.bus();
    } else if (d instanceof Pvpanic x) {
      return x.bus();
    }
    return Optional.empty();
  }

  /** The kind of bus the device needs. */
  static BusType needs(Device d) {
    if (d instanceof Disk x && x.model() == Disk.Model.SCSI_HD) {
      return BusType.SCSI;
    }
    if (d instanceof Pvpanic x && x.model() == Pvpanic.Model.ISA) {
      return BusType.NONE;
    }
    return d.kind().bus();
  }

  /** The kind of bus the device provides to others, NONE for most. */
  static BusType provides(Device d) {
    return switch (d.kind()) {
      case PCI_BRIDGE, PCIE_PCI_BRIDGE, PCIE_ROOT_PORT -> BusType.PCI;
      case SCSI_CONTROLLER -> BusType.SCSI;
      case VIRTIO_SERIAL -> BusType.VIRTIO_SERIAL;
      default -> BusType.NONE;
    };
  }
}

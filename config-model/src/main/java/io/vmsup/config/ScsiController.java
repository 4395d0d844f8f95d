package io.vmsup.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A virtio SCSI controller ({@code -device virtio-scsi-pci}); {@code scsi-hd} disks sit on its bus {@code <id>.0}.
 *
 * @param id        device id
 * @param bus       bridge or root port id
 * @param iothread  iothread id
 * @param numQueues request queues, 1..64
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record ScsiController(String id, Optional<String> bus, Optional<String> iothread, OptionalInt numQueues,
    PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.SCSI_CONTROLLER;
  }
}

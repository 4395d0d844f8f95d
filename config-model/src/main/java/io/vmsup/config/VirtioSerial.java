package io.vmsup.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A virtio-serial controller ({@code -device virtio-serial-pci}); consoles and ports sit on it.
 *
 * @param id       device id; its bus is {@code <id>.0}
 * @param bus      bridge or root port id
 * @param maxPorts maximum number of ports, 1..31
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record VirtioSerial(String id, Optional<String> bus, OptionalInt maxPorts,
    PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.VIRTIO_SERIAL;
  }
}

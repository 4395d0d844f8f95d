package io.vmsup.config;

import java.util.Optional;

/**
 * A virtio memory balloon ({@code -device virtio-balloon-pci}).
 *
 * @param id           device id
 * @param bus          bridge or root port id
 * @param deflateOnOom let the guest deflate the balloon when it runs out of memory, default false
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record Balloon(String id, Optional<String> bus, boolean deflateOnOom,
    PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.BALLOON;
  }
}

package io.vmsup.config;

import java.util.Optional;

/**
 * A virtio entropy device: {@code -object rng-random,id=<id>.rng} plus {@code -device virtio-rng-pci}.
 *
 * @param id     device id
 * @param source host entropy file, default {@code /dev/urandom}
 * @param bus    bridge or root port id
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record Rng(String id, String source, Optional<String> bus, PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.RNG;
  }
}

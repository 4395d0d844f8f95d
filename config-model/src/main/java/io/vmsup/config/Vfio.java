package io.vmsup.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A host PCI device passed through with VFIO ({@code -device vfio-pci}).
 *
 * @param id        device id
 * @param host      host address {@code DDDD:BB:SS.F}, e.g. {@code 0000:01:00.0}
 * @param bus       bridge or root port id
 * @param bootIndex boot order
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record Vfio(String id, String host, Optional<String> bus, OptionalInt bootIndex,
    PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.VFIO;
  }
}

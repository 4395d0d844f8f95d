package io.vmsup.config;

import java.util.Optional;

/**
 * A PCIe-to-PCI bridge ({@code -device pcie-pci-bridge}, q35 only) for legacy PCI devices.
 *
 * @param id  device id
 * @param bus a pcie-root-port id, or absent for {@code pcie.0}
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record PciePciBridge(String id, Optional<String> bus, PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.PCIE_PCI_BRIDGE;
  }
}

package io.vmsup.config;

import java.util.Optional;

/**
 * A PCI-to-PCI bridge ({@code -device pci-bridge}); provides a PCI bus named by its id.
 *
 * @param id        device id
 * @param bus       parent: pci.0 (i440fx), a pcie-pci-bridge or another pci-bridge; absent = the root bus
 * @param chassisNr chassis number 1..255, unique among bridges
 * @param shpc      enable the standard hot-plug controller, default false
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record PciBridge(String id, Optional<String> bus, int chassisNr, boolean shpc,
    PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.PCI_BRIDGE;
  }
}

package io.vmsup.config;

/**
 * A PCI Express root port ({@code -device pcie-root-port,bus=pcie.0}, q35 only). It holds exactly one device, which
 * can then be hot-unplugged.
 *
 * @param id      device id
 * @param chassis chassis number 0..255
 * @param slot    slot number 0..255; (chassis, slot) must be unique among root ports
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record PcieRootPort(String id, int chassis, int slot, PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.PCIE_ROOT_PORT;
  }
}

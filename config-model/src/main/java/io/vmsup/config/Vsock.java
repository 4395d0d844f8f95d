package io.vmsup.config;

import java.util.Optional;

/**
 * A virtio vsock device ({@code -device vhost-vsock-pci}); needs {@code /dev/vhost-vsock} on the host.
 *
 * @param id  device id
 * @param cid guest context id, 3..4294967294 (0-2 are reserved)
 * @param bus bridge or root port id
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record Vsock(String id, long cid, Optional<String> bus, PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.VSOCK;
  }
}

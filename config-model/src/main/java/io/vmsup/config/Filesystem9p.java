package io.vmsup.config;

import java.util.Optional;

/**
 * A 9p shared directory: {@code -fsdev local,id=<id>.fs,...} plus {@code -device virtio-9p-pci}.
 *
 * @param id            device id
 * @param path          absolute host directory
 * @param mountTag      tag the guest mounts, 1-31 characters
 * @param securityModel {@code mapped-xattr} (default), {@code mapped-file}, {@code passthrough} or {@code none}
 * @param readOnly      export read-only, default false
 * @param bus           bridge or root port id
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record Filesystem9p(String id, String path, String mountTag, SecurityModel securityModel, boolean readOnly,
    Optional<String> bus, PciOptions pci) implements Device, PciPlaced {

  /** How guest credentials are stored on the host. */
  public enum SecurityModel { MAPPED_XATTR, MAPPED_FILE, PASSTHROUGH, NONE }

  @Override
  public DeviceKind kind() {
    return DeviceKind.FILESYSTEM_9P;
  }
}

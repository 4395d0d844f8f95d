package io.vmsup.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A virtio-fs share served by a virtiofsd at {@code socket}: {@code -chardev socket,id=<id>.chr} plus
 * {@code -device vhost-user-fs-pci}. Needs shared guest RAM ({@code memory.shared: true}).
 *
 * @param id        device id
 * @param socket    virtiofsd's vhost-user socket
 * @param tag       tag the guest mounts, 1-36 characters
 * @param queueSize request queue size, a power of two 64..1024
 * @param bus       bridge or root port id
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record VirtioFs(String id, String socket, String tag, OptionalInt queueSize, Optional<String> bus,
    PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.VIRTIO_FS;
  }
}

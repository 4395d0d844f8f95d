package io.vmsup.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A SCSI controller served by a vhost-user backend: {@code -chardev socket,id=<id>.chr} plus
 * {@code -device vhost-user-scsi-pci}.
 *
 * @param id        device id
 * @param socket    the backend's socket
 * @param numQueues request queues, 1..64
 * @param bus       bridge or root port id
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record VhostUserScsi(String id, String socket, OptionalInt numQueues, Optional<String> bus,
    PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.VHOST_USER_SCSI;
  }
}

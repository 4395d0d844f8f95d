package io.vmsup.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A block device served by a vhost-user backend: {@code -chardev socket,id=<id>.chr} plus
 * {@code -device vhost-user-blk-pci}.
 *
 * @param id        device id
 * @param socket    the backend's socket
 * @param numQueues request queues, 1..64
 * @param bus       bridge or root port id
 * @param bootIndex boot order
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record VhostUserBlk(String id, String socket, OptionalInt numQueues, Optional<String> bus,
    OptionalInt bootIndex, PciOptions pci) implements Device, PciPlaced {

  @Override
  public DeviceKind kind() {
    return DeviceKind.VHOST_USER_BLK;
  }
}

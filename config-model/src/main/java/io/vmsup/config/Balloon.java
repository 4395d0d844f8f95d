package io.vmsup.config;

import java.util.Optional;

/**
 * A virtio memory balloon ({@code -device virtio-balloon-pci}).
 *
 * @param id           device id
 * @param bus          bridge or root port id
 * @param deflateOnOom let the guest deflate the balloon when it runs out of memory, default false
 */
public record Balloon(String id, Optional<String> bus, boolean deflateOnOom) implements Device {

  @Override
  public DeviceKind kind() {
    return DeviceKind.BALLOON;
  }
}

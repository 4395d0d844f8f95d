package io.vmsup.config;

/**
 * A virtio console ({@code -device virtconsole}, the guest's {@code hvc0}).
 *
 * @param id      device id
 * @param chardev id of a {@code chardev} device
 * @param bus     id of a {@code virtio-serial} device (required)
 */
public record VirtioConsole(String id, String chardev, String bus) implements Device {

  @Override
  public DeviceKind kind() {
    return DeviceKind.VIRTIO_CONSOLE;
  }
}

package io.vmsup.config;

/**
 * A named virtio serial port ({@code -device virtserialport}), e.g. for a guest agent.
 *
 * @param id      device id
 * @param chardev id of a {@code chardev} device
 * @param bus     id of a {@code virtio-serial} device (required)
 * @param name    port name seen by the guest, e.g. {@code org.qemu.guest_agent.0}
 */
public record VirtioSerialPort(String id, String chardev, String bus, String name) implements Device {

  @Override
  public DeviceKind kind() {
    return DeviceKind.VIRTIO_SERIAL_PORT;
  }
}

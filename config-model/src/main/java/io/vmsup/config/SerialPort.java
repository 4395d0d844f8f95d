package io.vmsup.config;

/**
 * A legacy 16550 serial port ({@code -device isa-serial}, pc/q35 only) attached to a chardev.
 *
 * @param id      device id
 * @param chardev id of a {@code chardev} device
 */
public record SerialPort(String id, String chardev) implements Device {

  @Override
  public DeviceKind kind() {
    return DeviceKind.SERIAL_PORT;
  }
}

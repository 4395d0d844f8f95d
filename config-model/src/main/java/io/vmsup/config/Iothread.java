package io.vmsup.config;

/**
 * An I/O thread ({@code -object iothread}) that disks and SCSI controllers can run on.
 *
 * @param id object id
 */
public record Iothread(String id) implements Device {

  @Override
  public DeviceKind kind() {
    return DeviceKind.IOTHREAD;
  }
}

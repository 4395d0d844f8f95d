package io.vmsup.config;

/**
 * A hot-pluggable memory module ({@code -device pc-dimm}); needs {@code memory.slots} and {@code memory.max}.
 *
 * @param id     device id
 * @param memdev id of a {@code memory-backend} device
 */
public record Dimm(String id, String memdev) implements Device {

  @Override
  public DeviceKind kind() {
    return DeviceKind.DIMM;
  }
}

package io.vmsup.config;

/**
 * An NVDIMM ({@code -device nvdimm}); needs {@code machine.nvdimm}, {@code memory.slots}/{@code memory.max} and a
 * {@code file} memory backend.
 *
 * @param id     device id
 * @param memdev id of a {@code memory-backend} device of type file
 */
public record Nvdimm(String id, String memdev) implements Device {

  @Override
  public DeviceKind kind() {
    return DeviceKind.NVDIMM;
  }
}

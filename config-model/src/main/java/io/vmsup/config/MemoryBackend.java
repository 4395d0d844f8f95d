package io.vmsup.config;

import java.util.Optional;

/**
 * A memory backend object ({@code -object memory-backend-ram|file|memfd}) used by {@code dimm}, {@code nvdimm} and
 * NUMA nodes.
 *
 * @param id       object id
 * @param type     {@code ram} (default), {@code file} or {@code memfd}
 * @param size     size, a multiple of 1 MiB
 * @param path     file only: backing file or directory ({@code mem-path}), required
 * @param share    map shared, default false
 * @param prealloc pre-allocate, default false
 */
public record MemoryBackend(String id, Type type, Size size, Optional<String> path, boolean share, boolean prealloc)
    implements Device {

  /** Backend object type. */
  public enum Type { RAM, FILE, MEMFD }

  @Override
  public DeviceKind kind() {
    return DeviceKind.MEMORY_BACKEND;
  }
}

package io.vmsup.config;

/**
 * A size in bytes. JSON accepts a non-negative integer (bytes) or a string of digits with an optional binary suffix
 * {@code K}, {@code M}, {@code G} or {@code T} (case-insensitive): {@code "512M"}, {@code "2G"}, {@code "4096"}.
 */
public record Size(long bytes) {

  private static final String SUFFIXES = "KMGT";

  public Size {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size");
    }
  }

  public static Size ofMiB(long mib) {
    return new Size(mib << 20);
  }

  /** QEMU's size syntax with the largest exact binary suffix: {@code 268435456} → {@code "256M"}. */
  public String toQemu() {
    long value = bytes;
    int unit = -1;
    while (value != 0 && value % 1024 == 0 && unit < SUFFIXES.length() - 1) {
      value /= 1024;
      unit++;
    }
    return unit < 0 ? Long.toString(value) : value + String.valueOf(SUFFIXES.charAt(unit));
  }

  @Override
  public String toString() {
    return toQemu();
  }
}

package io.vmsup.config.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code -machine} properties a QEMU binary knows for a machine type, read from {@code qemu -machine TYPE,help}
 * (QEMU prints {@code TYPE-machine options:} then one {@code   name=<type>  - text} line per property) and cached per
 * binary (its real path, size and modification time) and type. Blocking: it may run the binary.
 */
public final class MachineProperties {

  /** Legacy -machine spellings QEMU 7.2 still maps onto accelerator properties (vl.c, legacy machine options). */
  static final Set<String> LEGACY_ACCEL = Set.of("kernel-irqchip", "kernel_irqchip", "kvm-shadow-mem");
  private static final Map<String, Optional<Set<String>>> CACHE = new ConcurrentHashMap<>();
  private static final long TIMEOUT_SECONDS = 20;

  private MachineProperties() {
  }

  /** True for the legacy accelerator spellings QEMU accepts in -machine without listing them. */
  public static boolean isLegacyAccel(String name) {
    return LEGACY_ACCEL.contains(name);
  }

  /**
   * The property names, or empty when the binary does not know the machine type.
   *
   * @throws IOException when the binary cannot be run or does not answer in time
   */
  public static Optional<Set<String>> of(Path binary, String type) throws IOException {
    Path real = binary.toRealPath();
    String key = real + "|" + Files.size(real) + "|" + Files.getLastModifiedTime(real).toMillis() + "|" + type;
    Optional<Set<String>> cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    Optional<Set<String>> read = read(real, type);
    CACHE.put(key, read);
    return read;
  }

  private static Optional<Set<String>> read(Path binary, String type) throws IOException {
    Path out = Files.createTempFile("vmsup-machine-help", ".txt");
    try {
      Process p = new ProcessBuilder(List.of(binary.toString(), "-machine", type + ",help"))
          .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
          .start();
      try (InputStream ignored = p.getInputStream()) {
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(binary + " -machine " + type + ",help did not finish in " + TIMEOUT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while asking " + binary + " for machine properties", e);
      }
      return parse(Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Parses the help text; empty when it lists no options header (an unknown type prints the machine list). */
  static Optional<Set<String>> parse(String help) {
    Set<String> names = new TreeSet<>();
    boolean header = false;
    for (String line : help.split("\n")) {
      if (line.endsWith("-machine options:")) {
        header = true;
      } else if (header && line.startsWith("  ") && line.indexOf('=') > 2) {
        names.add(line.substring(2, line.indexOf('=')).trim());
      }
    }
    return header ? Optional.of(names) : Optional.empty();
  }
}

package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The guest RAM a stored spec asks for ({@code "memory": {"size": "512M"}}), in bytes. */
final class GuestMemory {

  /** QEMU's default guest RAM, when a spec names none. */
  static final long QEMU_DEFAULT = 128L << 20;

  private GuestMemory() {
  }

  static long bytes(JsonObject spec) {
    Object memory = spec == null ? null : spec.getValue("memory");
    Object size = memory instanceof JsonObject m ? m.getValue("size") : memory;
    if (size instanceof Number n) {
      return n.longValue() << 20;
    }
    if (size instanceof String s) {
      return parse(s);
    }
    return QEMU_DEFAULT;
  }

  /** {@code 512M}, {@code 2G}, {@code 1024K}, {@code 2GiB}; a bare number is MiB, as QEMU reads {@code -m}. */
  static long parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
    if (t.isEmpty()) {
      return QEMU_DEFAULT;
    }
    char unit = t.charAt(t.length() - 1);
    int shift = switch (unit) {
      case 'K' -> 10;
      case 'M' -> 20;
      case 'G' -> 30;
      case 'T' -> 40;
      default -> -1;
    };
    try {
      if (shift < 0) {
        return Long.parseLong(t) << 20;
      }
      return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * (1L << shift));
    } catch (NumberFormatException e) {
      return QEMU_DEFAULT;
    }
  }
}

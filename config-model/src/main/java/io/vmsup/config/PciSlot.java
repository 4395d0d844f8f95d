package io.vmsup.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A slot and function on one PCI bus, written {@code SS.F} in hexadecimal ({@code 05.0}, {@code 1f.2}), as QEMU's
 * {@code addr=} property takes it.
 *
 * @param slot     0..31
 * @param function 0..7
 */
public record PciSlot(int slot, int function) implements Comparable<PciSlot> {

  private static final Pattern FORM = Pattern.compile("(?:0x)?([0-9a-fA-F]{1,2})(?:\\.([0-7]))?");

  public PciSlot {
    if (slot < 0 || slot > 31 || function < 0 || function > 7) {
      throw new IllegalArgumentException("PCI slot 0..31 and function 0..7, not " + slot + "." + function);
    }
  }

  /** Parses {@code SS}, {@code SS.F} or {@code 0xSS[.F]}; empty when the text is no slot 0..31 / function 0..7. */
  public static Optional<PciSlot> parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    int slot = Integer.parseInt(m.group(1), 16);
    int function = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return slot > 31 ? Optional.empty() : Optional.of(new PciSlot(slot, function));
  }

  /** The {@code addr=} text: two hex digits, a dot, the function. */
  public String toQemu() {
    return String.format("%02x.%x", slot, function);
  }

  @Override
  public int compareTo(PciSlot o) {
    return slot != o.slot ? Integer.compare(slot, o.slot) : Integer.compare(function, o.function);
  }

  @Override
  public String toString() {
    return toQemu();
  }
}

package io.vmsup.config;

import java.util.Objects;
import java.util.Optional;

/**
 * PCI options a PCI device may carry in its spec ({@code addr}, {@code disableModern}, {@code romfile}).
 *
 * @param addr          slot and function the user pins on the device's bus; absent = the daemon assigns one at create
 *                      time (see {@link PciPlans})
 * @param disableModern virtio 0.9 only ({@code disable-modern=on}) for old guests; only virtio devices on a
 *                      conventional PCI bus or directly on {@code pcie.0} (QEMU makes devices behind a PCIe root port
 *                      modern-only)
 * @param romfile       option ROM: an absolute host path, or {@code ""} for no ROM at all; absent = QEMU's default ROM
 */
public record PciOptions(Optional<PciSlot> addr, boolean disableModern, Optional<String> romfile) {

  private static final PciOptions NONE = new PciOptions(Optional.empty(), false, Optional.empty());

  public PciOptions {
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(romfile, "romfile");
  }

  /** No pinned address, modern virtio, QEMU's default ROM. */
  public static PciOptions none() {
    return NONE;
  }
}

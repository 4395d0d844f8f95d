package io.vmsup.config;

import java.util.Optional;

/**
 * A panic notifier, so that a guest panic is reported as {@code GUEST_PANICKED} instead of looking like a reset.
 *
 * @param id    device id
 * @param model {@code isa} (default, {@code -device pvpanic}, pc/q35) or {@code pci} ({@code pvpanic-pci})
 * @param bus   pci model only: bridge or root port id
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record Pvpanic(String id, Model model, Optional<String> bus, PciOptions pci) implements Device, PciPlaced {

  /** Which pvpanic device. */
  public enum Model { ISA, PCI }

  @Override
  public DeviceKind kind() {
    return DeviceKind.PVPANIC;
  }
}

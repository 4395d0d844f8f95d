package io.vmsup.config;

import java.util.Objects;

/**
 * Where a PCI device sits: the QEMU name of its bus ({@code pcie.0}, {@code pci.0}, or the id of the bridge or root
 * port that provides the bus) and its slot there.
 *
 * @param bus  bus name
 * @param slot slot and function
 */
public record PciAddress(String bus, PciSlot slot) {

  public PciAddress {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(slot, "slot");
  }

  /**
   * The address of a realized device from its QOM properties: {@code parent_bus} (a path whose last element is the
   * bus name, {@code /machine/q35/pcie.0} or {@code /machine/peripheral/rp1/rp1}) and {@code addr} (devfn: slot * 8
   * + function).
   *
   * @throws IllegalArgumentException when devfn is outside 0..255 or the path names no bus
   */
  public static PciAddress fromQom(String parentBus, long devfn) {
    String bus = parentBus.substring(parentBus.lastIndexOf('/') + 1);
    if (bus.isEmpty() || devfn < 0 || devfn > 255) {
      throw new IllegalArgumentException("not a placed PCI device: parent_bus " + parentBus + ", addr " + devfn);
    }
    return new PciAddress(bus, new PciSlot((int) devfn >> 3, (int) devfn & 7));
  }

  @Override
  public String toString() {
    return bus + ":" + slot.toQemu();
  }
}

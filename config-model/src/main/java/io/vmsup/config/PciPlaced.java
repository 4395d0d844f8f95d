package io.vmsup.config;

/**
 * A device that sits on a PCI bus (or may: a {@code disk} of model {@code scsi-hd} and a {@code pvpanic} of model
 * {@code isa} do not, and carry {@link PciOptions#none()}).
 */
public interface PciPlaced {

  /** The device's PCI options from its spec. */
  PciOptions pci();
}

package io.vmsup.config;

/**
 * The device kinds, with their JSON {@code kind} names and the bus they plug into.
 */
public enum DeviceKind {
  DISK("disk", BusType.PCI),
  NIC("nic", BusType.PCI),
  CHARDEV("chardev", BusType.NONE),
  SERIAL_PORT("serial-port", BusType.NONE),
  VIRTIO_SERIAL("virtio-serial", BusType.PCI),
  VIRTIO_CONSOLE("virtio-console", BusType.VIRTIO_SERIAL),
  VIRTIO_SERIAL_PORT("virtio-serial-port", BusType.VIRTIO_SERIAL),
  FILESYSTEM_9P("9p", BusType.PCI),
  VIRTIO_FS("virtio-fs", BusType.PCI),
  VHOST_USER_BLK("vhost-user-blk", BusType.PCI),
  VHOST_USER_SCSI("vhost-user-scsi", BusType.PCI),
  VFIO("vfio", BusType.PCI),
  SCSI_CONTROLLER("scsi-controller", BusType.PCI),
  PCI_BRIDGE("pci-bridge", BusType.PCI),
  PCIE_PCI_BRIDGE("pcie-pci-bridge", BusType.PCI),
  PCIE_ROOT_PORT("pcie-root-port", BusType.PCI),
  VSOCK("vsock", BusType.PCI),
  MEMORY_BACKEND("memory-backend", BusType.NONE),
  DIMM("dimm", BusType.NONE),
  NVDIMM("nvdimm", BusType.NONE),
  IOTHREAD("iothread", BusType.NONE),
  RNG("rng", BusType.PCI),
  BALLOON("balloon", BusType.PCI),
  PVPANIC("pvpanic", BusType.PCI);

  private final String json;
  private final BusType bus;

  DeviceKind(String json, BusType bus) {
    this.json = json;
    this.bus = bus;
  }

  /** The JSON spelling of {@code kind}. */
  public String json() {
    return json;
  }

  /** The kind of bus a device of this kind sits on ({@code bus} field); a disk may also sit on SCSI. */
  public BusType bus() {
    return bus;
  }

  /** Kinds of buses. */
  public enum BusType { NONE, PCI, SCSI, VIRTIO_SERIAL }
}

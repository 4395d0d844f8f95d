package io.vmsup.config;

/**
 * A device of the VM. One record per kind; the JSON field {@code kind} selects it. Every device has an {@code id}
 * (1-27 characters, {@code [A-Za-z][A-Za-z0-9_-]*}, not starting with {@code vmsup-}), unique in the spec. The QEMU
 * objects a device needs besides itself (a {@code -blockdev}, {@code -netdev}, {@code -chardev} or backend object) get
 * ids derived from it with a dot ({@code disk0.blk}), which user ids cannot contain.
 */
public sealed interface Device permits Disk, Nic, Chardev, SerialPort, VirtioSerial, VirtioConsole, VirtioSerialPort,
    Filesystem9p, VirtioFs, VhostUserBlk, VhostUserScsi, Vfio, ScsiController, PciBridge, PciePciBridge,
    PcieRootPort, Vsock, MemoryBackend, Dimm, Nvdimm, Iothread, Rng, Balloon, Pvpanic {

  /** The device's id. */
  String id();

  /** The JSON {@code kind} of this device. */
  DeviceKind kind();
}

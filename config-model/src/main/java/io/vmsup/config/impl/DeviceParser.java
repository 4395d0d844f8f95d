package io.vmsup.config.impl;

import io.vmsup.config.Device;
import io.vmsup.config.DeviceKind;
import io.vmsup.config.PciOptions;
import io.vmsup.config.PciSlot;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads one element of {@code devices}: {@code kind} selects the record. */
final class DeviceParser {

  private DeviceParser() {
  }

  static Optional<Device> parse(Obj o) {
    String kindName = o.string("kind");
    Optional<DeviceKind> kind = Arrays.stream(DeviceKind.values()).filter(k -> k.json().equals(kindName)).findFirst();
    if (kind.isEmpty()) {
      if (!kindName.isEmpty()) {
        o.problems().add(o.at("kind"), "unknown kind \"" + kindName + "\"; allowed: " + Arrays.stream(
            DeviceKind.values()).map(DeviceKind::json).collect(Collectors.joining(", ")));
      }
      return Optional.empty();
    }
    Device d = parser(kind.get()).apply(o);
    o.end();
    return Optional.of(d);
  }

  private static Function<Obj, Device> parser(DeviceKind kind) {
    return switch (kind) {
      case DISK -> BlockParsers::disk;
      case VHOST_USER_BLK -> BlockParsers::vhostUserBlk;
      case VHOST_USER_SCSI -> BlockParsers::vhostUserScsi;
      case SCSI_CONTROLLER -> BlockParsers::scsiController;
      case NIC -> NetParser::nic;
      case CHARDEV -> CharParsers::chardev;
      case SERIAL_PORT -> CharParsers::serialPort;
      case VIRTIO_SERIAL -> CharParsers::virtioSerial;
      case VIRTIO_CONSOLE -> CharParsers::virtioConsole;
      case VIRTIO_SERIAL_PORT -> CharParsers::virtioSerialPort;
      case FILESYSTEM_9P -> OtherParsers::ninep;
      case VIRTIO_FS -> OtherParsers::virtioFs;
      case VFIO -> OtherParsers::vfio;
      case PCI_BRIDGE -> OtherParsers::pciBridge;
      case PCIE_PCI_BRIDGE -> OtherParsers::pciePciBridge;
      case PCIE_ROOT_PORT -> OtherParsers::rootPort;
      case VSOCK -> OtherParsers::vsock;
      case MEMORY_BACKEND -> MemParsers::backend;
      case DIMM -> MemParsers::dimm;
      case NVDIMM -> MemParsers::nvdimm;
      case IOTHREAD -> MemParsers::iothread;
      case RNG -> OtherParsers::rng;
      case BALLOON -> OtherParsers::balloon;
      case PVPANIC -> OtherParsers::pvpanic;
    };
  }

  /** The required {@code id}. */
  static String id(Obj o) {
    String id = o.string("id");
    if (!id.isEmpty()) {
      o.problems().check(Rules.isId(id), o.at("id"), Rules.ID_RULE);
    }
    return id;
  }

  /** A required reference to another device's id (checked for existence by {@link SpecValidator}). */
  static String ref(Obj o, String key) {
    String ref = o.string(key);
    if (!ref.isEmpty()) {
      o.problems().check(Rules.isId(ref), o.at(key), "must be the id of a device; " + Rules.ID_RULE);
    }
    return ref;
  }

  /** The optional {@code bus}: a device id, or the machine's root bus name ({@code pcie.0}, {@code pci.0}). */
  static Optional<String> bus(Obj o) {
    Optional<String> bus = o.optString("bus");
    bus.ifPresent(b -> o.problems().check(Rules.isId(b) || b.equals("pcie.0") || b.equals("pci.0"), o.at("bus"),
        "must be the id of a bridge, root port or controller, or \"pcie.0\"/\"pci.0\""));
    return bus;
  }

  /** The device's {@code addr}, {@code disableModern} and {@code romfile} (kind rules: {@link PciRules}). */
  static PciOptions pci(Obj o) {
    Optional<PciSlot> addr = Optional.empty();
    Optional<String> text = o.optString("addr");
    if (text.isPresent()) {
      addr = PciSlot.parse(text.get());
      o.problems().check(addr.isPresent(), o.at("addr"),
          "must be a PCI slot SS or SS.F in hexadecimal (slot 00-1f, function 0-7), like \"05\" or \"05.0\"");
    }
    Optional<String> romfile = o.optString("romfile");
    romfile.ifPresent(r -> o.problems().check(r.isEmpty() || Rules.isAbsolutePath(r), o.at("romfile"),
        "must be an absolute path, or \"\" for no option ROM"));
    return new PciOptions(addr, o.bool("disableModern", false), romfile);
  }

  /** A required absolute path. */
  static String absolutePath(Obj o, String key) {
    String path = o.string(key);
    TopParser.absolute(o.problems(), o.at(key), path);
    return path;
  }
}

package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceParser.absolutePath;
import static io.vmsup.config.impl.DeviceParser.bus;
import static io.vmsup.config.impl.DeviceParser.id;
import static io.vmsup.config.impl.DeviceParser.pci;

import io.vmsup.config.Balloon;
import io.vmsup.config.Device;
import io.vmsup.config.Filesystem9p;
import io.vmsup.config.PciBridge;
import io.vmsup.config.PciePciBridge;
import io.vmsup.config.PcieRootPort;
import io.vmsup.config.Pvpanic;
import io.vmsup.config.Rng;
import io.vmsup.config.Vfio;
import io.vmsup.config.VirtioFs;
import io.vmsup.config.Vsock;
import java.util.Locale;
import java.util.OptionalInt;

/** Parsers of shared filesystems, PCI topology, VFIO, vsock, entropy, balloon and pvpanic. */
final class OtherParsers {

  private OtherParsers() {
  }

  static Device ninep(Obj o) {
    String id = id(o);
    String path = absolutePath(o, "path");
    String tag = o.string("mountTag");
    o.problems().check(tag.length() <= 31 && (!tag.isEmpty() || !o.has("mountTag")), o.at("mountTag"),
        "must be 1-31 characters");
    o.optString("driver").ifPresent(d -> o.problems().check(d.equals("local"), o.at("driver"), switch (d) {
      case "handle" -> "the 9p \"handle\" driver was removed from QEMU (6.0); use \"local\" or a virtio-fs device";
      case "proxy" -> "the 9p \"proxy\" driver is deprecated in QEMU (8.1) and removed in 9.2; use \"local\" or a"
          + " virtio-fs device";
      default -> "must be \"local\" (the only 9p driver vmsup renders), not \"" + d + "\"";
    }));
    return new Filesystem9p(id, path, tag, o.enumOf("securityModel", Filesystem9p.SecurityModel.class,
        Filesystem9p.SecurityModel.MAPPED_XATTR), o.bool("readOnly", false), bus(o), pci(o));
  }

  static Device virtioFs(Obj o) {
    String id = id(o);
    String socket = absolutePath(o, "socket");
    String tag = o.string("tag");
    o.problems().check(tag.length() <= 36 && (!tag.isEmpty() || !o.has("tag")), o.at("tag"),
        "must be 1-36 characters");
    OptionalInt queueSize = o.optInt("queueSize", 64, 1024);
    queueSize.ifPresent(q -> o.problems().check(Integer.bitCount(q) == 1, o.at("queueSize"),
        "must be a power of two from 64 to 1024"));
    return new VirtioFs(id, socket, tag, queueSize, bus(o), pci(o));
  }

  static Device vfio(Obj o) {
    String id = id(o);
    String host = o.string("host");
    if (!host.isEmpty()) {
      o.problems().check(Rules.PCI_ADDRESS.matcher(host).matches(), o.at("host"),
          "must be a host PCI address DDDD:BB:SS.F like 0000:01:00.0");
    }
    return new Vfio(id, host.toLowerCase(Locale.ROOT), bus(o), o.optInt("bootIndex", 0, 255), pci(o));
  }

  static Device pciBridge(Obj o) {
    String id = id(o);
    o.problems().check(o.has("chassisNr"), o.at("chassisNr"), "is required: 1-255, unique among bridges");
    return new PciBridge(id, bus(o), o.integer("chassisNr", 1, 1, 255), o.bool("shpc", false), pci(o));
  }

  static Device pciePciBridge(Obj o) {
    return new PciePciBridge(id(o), bus(o), pci(o));
  }

  static Device rootPort(Obj o) {
    String id = id(o);
    o.problems().check(o.has("chassis"), o.at("chassis"), "is required: 0-255");
    return new PcieRootPort(id, o.integer("chassis", 0, 0, 255), o.integer("slot", 0, 0, 255), pci(o));
  }

  static Device vsock(Obj o) {
    String id = id(o);
    o.problems().check(o.has("cid"), o.at("cid"), "is required: 3-4294967294");
    long cid = o.optLong("cid", 3, 0xFFFF_FFFEL).orElse(3);
    return new Vsock(id, cid, bus(o), pci(o));
  }

  static Device rng(Obj o) {
    String id = id(o);
    String source = o.optString("source").orElse("/dev/urandom");
    TopParser.absolute(o.problems(), o.at("source"), source);
    return new Rng(id, source, bus(o), pci(o));
  }

  static Device balloon(Obj o) {
    return new Balloon(id(o), bus(o), o.bool("deflateOnOom", false), pci(o));
  }

  static Device pvpanic(Obj o) {
    String id = id(o);
    Pvpanic.Model model = o.enumOf("model", Pvpanic.Model.class, Pvpanic.Model.ISA);
    Pvpanic p = new Pvpanic(id, model, bus(o), pci(o));
    o.problems().check(model == Pvpanic.Model.PCI || p.bus().isEmpty(), o.at("bus"), "is only for model \"pci\"");
    return p;
  }
}

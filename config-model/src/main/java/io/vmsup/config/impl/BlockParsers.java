package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceParser.absolutePath;
import static io.vmsup.config.impl.DeviceParser.bus;
import static io.vmsup.config.impl.DeviceParser.id;
import static io.vmsup.config.impl.DeviceParser.pci;

import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.DiskFormat;
import io.vmsup.config.ScsiController;
import io.vmsup.config.VhostUserBlk;
import io.vmsup.config.VhostUserScsi;
import java.util.Optional;

/** Parsers of block devices. */
final class BlockParsers {

  private BlockParsers() {
  }

  static Device disk(Obj o) {
    String id = id(o);
    String file = absolutePath(o, "file");
    Disk.Model model = o.enumOf("model", Disk.Model.class, Disk.Model.VIRTIO_BLK);
    Optional<String> bus = bus(o);
    Optional<String> iothread = o.optString("iothread");
    Optional<String> serial = o.optString("serial");
    serial.ifPresent(s -> o.problems().check(s.length() <= 20 && s.chars().allMatch(c -> c < 0x7f), o.at("serial"),
        "must be at most 20 ASCII characters"));
    Disk d = new Disk(id, file, o.enumOf("format", DiskFormat.class, DiskFormat.RAW), model, bus,
        o.bool("readOnly", false), o.enumOf("cache", Disk.Cache.class, Disk.Cache.WRITEBACK),
        o.enumOf("aio", Disk.Aio.class, Disk.Aio.THREADS), iothread, serial, o.optInt("bootIndex", 0, 255),
        o.bool("discard", false), pci(o));
    o.problems().check(d.aio() != Disk.Aio.NATIVE || d.cache() == Disk.Cache.NONE, o.at("aio"),
        "\"native\" needs cache \"none\" (O_DIRECT)");
    o.problems().check(model != Disk.Model.SCSI_HD || bus.isPresent(), o.at("bus"),
        "is required for model \"scsi-hd\": the id of a scsi-controller");
    o.problems().check(model != Disk.Model.SCSI_HD || iothread.isEmpty(), o.at("iothread"),
        "is only for model \"virtio-blk\"; put the iothread on the scsi-controller");
    return d;
  }

  static Device vhostUserBlk(Obj o) {
    return new VhostUserBlk(id(o), absolutePath(o, "socket"), o.optInt("numQueues", 1, 64), bus(o),
        o.optInt("bootIndex", 0, 255), pci(o));
  }

  static Device vhostUserScsi(Obj o) {
    return new VhostUserScsi(id(o), absolutePath(o, "socket"), o.optInt("numQueues", 1, 64), bus(o), pci(o));
  }

  static Device scsiController(Obj o) {
    return new ScsiController(id(o), bus(o), o.optString("iothread"), o.optInt("numQueues", 1, 64),
        pci(o));
  }
}

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
import io.vmsup.config.Size;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parsers of block devices. */
final class BlockParsers {

  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final String IMAGE_RULE = "must be the name of an image of the store: 1-63 characters from A-Z a-z"
      + " 0-9 . _ - starting with a letter or digit";
  private static final long MAX_SIZE = 64L << 40;

  private BlockParsers() {
  }

  static Device disk(Obj o) {
    String id = id(o);
    Optional<String> image = o.optString("image");
    Optional<Size> size = o.optSize("size");
    boolean managed = image.isPresent() || size.isPresent();
    String file = managed ? Disk.managedFile(id) : absolutePath(o, "file");
    if (managed) {
      managedRules(o, image, size);
    }
    Disk.Model model = o.enumOf("model", Disk.Model.class, Disk.Model.VIRTIO_BLK);
    Optional<String> bus = bus(o);
    Optional<String> iothread = o.optString("iothread");
    Optional<String> serial = o.optString("serial");
    serial.ifPresent(s -> o.problems().check(s.length() <= 20 && s.chars().allMatch(c -> c < 0x7f), o.at("serial"),
        "must be at most 20 ASCII characters"));
    Disk d = new Disk(id, file, o.enumOf("format", DiskFormat.class, managed ? DiskFormat.QCOW2 : DiskFormat.RAW),
        model, bus,
        o.bool("readOnly", false), o.enumOf("cache", Disk.Cache.class, Disk.Cache.WRITEBACK),
        o.enumOf("aio", Disk.Aio.class, Disk.Aio.THREADS), iothread, serial, o.optInt("bootIndex", 0, 255),
        o.bool("discard", false), pci(o), image, size);
    o.problems().check(d.aio() != Disk.Aio.NATIVE || d.cache() == Disk.Cache.NONE, o.at("aio"),
        "\"native\" needs cache \"none\" (O_DIRECT)");
    o.problems().check(model != Disk.Model.SCSI_HD || bus.isPresent(), o.at("bus"),
        "is required for model \"scsi-hd\": the id of a scsi-controller");
    o.problems().check(model != Disk.Model.SCSI_HD || iothread.isEmpty(), o.at("iothread"),
        "is only for model \"virtio-blk\"; put the iothread on the scsi-controller");
    return d;
  }

  /** A disk the daemon makes: no {@code file}, a valid image name, a size > 0, the format qcow2. */
  private static void managedRules(Obj o, Optional<String> image, Optional<Size> size) {
    o.problems().check(!o.has("file"), o.at("file"), "not with \"image\" or \"size\": a disk names a file, or the"
        + " daemon makes it from an image of its store (\"image\") or empty (\"size\")");
    image.ifPresent(i -> o.problems().check(IMAGE.matcher(i).matches(), o.at("image"), IMAGE_RULE));
    size.ifPresent(s -> o.problems().check(s.bytes() > 0 && s.bytes() % 512 == 0 && s.bytes() <= MAX_SIZE,
        o.at("size"), "must be more than 0, a multiple of 512 bytes and at most 64T"));
    o.raw("format").ifPresent(f -> o.problems().check("qcow2".equals(f.asText()), o.at("format"),
        "a disk the daemon makes is a qcow2 overlay: leave format out or say \"qcow2\""));
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

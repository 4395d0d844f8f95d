package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceArgs.derived;
import static io.vmsup.config.impl.DeviceArgs.device;

import io.vmsup.config.Disk;
import io.vmsup.config.DiskFormat;
import io.vmsup.config.ScsiController;
import io.vmsup.config.VhostUserBlk;
import io.vmsup.config.VhostUserScsi;
import java.util.List;
import java.util.Locale;

/** Block devices: disks ({@code -blockdev} + {@code -device}), vhost-user block/SCSI, SCSI controllers. */
final class BlockArgs {

  private BlockArgs() {
  }

  static List<QemuArg> disk(Disk d) {
    String node = derived(d.id(), "blk");
    QemuOpts blockdev = blockdev(node, d.format(), d.file(), d.readOnly())
        .add("cache.direct", d.cache() == Disk.Cache.NONE)
        .add("cache.no-flush", d.cache() == Disk.Cache.UNSAFE)
        .add("file.aio", d.aio().name().toLowerCase(Locale.ROOT));
    if (d.discard()) {
      blockdev.add("discard", "unmap");
    }
    QemuOpts dev;
    if (d.model() == Disk.Model.SCSI_HD) {
      dev = QemuOpts.of("scsi-hd").add("id", d.id()).add("drive", node)
          .add("bus", d.bus().map(b -> b + ".0"));
    } else {
      dev = QemuOpts.of("virtio-blk-pci").add("id", d.id()).add("drive", node).add("bus", d.bus())
          .add("iothread", d.iothread());
    }
    dev.add("serial", d.serial()).add("bootindex", d.bootIndex());
    return List.of(new QemuArg("-blockdev", blockdev), device(dev));
  }

  /** A format node over a file node, in {@code -blockdev} dotted syntax (nested objects in QMP). */
  static QemuOpts blockdev(String node, DiskFormat format, String file, boolean readOnly) {
    return QemuOpts.keyed()
        .add("driver", format.name().toLowerCase(Locale.ROOT))
        .add("node-name", node)
        .add("read-only", readOnly)
        .add("file.driver", "file")
        .add("file.filename", file);
  }

  static List<QemuArg> vhostUserBlk(VhostUserBlk d) {
    QemuOpts dev = QemuOpts.of("vhost-user-blk-pci").add("id", d.id()).add("chardev", derived(d.id(), "chr"))
        .add("num-queues", d.numQueues()).add("bus", d.bus()).add("bootindex", d.bootIndex());
    return List.of(DeviceArgs.vhostUserChardev(d.id(), d.socket()), device(dev));
  }

  static List<QemuArg> vhostUserScsi(VhostUserScsi d) {
    QemuOpts dev = QemuOpts.of("vhost-user-scsi-pci").add("id", d.id()).add("chardev", derived(d.id(), "chr"))
        .add("num_queues", d.numQueues()).add("bus", d.bus());
    return List.of(DeviceArgs.vhostUserChardev(d.id(), d.socket()), device(dev));
  }

  static List<QemuArg> scsiController(ScsiController d) {
    return List.of(device(QemuOpts.of("virtio-scsi-pci").add("id", d.id()).add("bus", d.bus())
        .add("iothread", d.iothread()).add("num_queues", d.numQueues())));
  }
}

package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceArgs.derived;
import static io.vmsup.config.impl.DeviceArgs.device;

import io.vmsup.config.Filesystem9p;
import io.vmsup.config.VirtioFs;
import java.util.List;
import java.util.Locale;

/** Shared directories: 9p and virtio-fs. */
final class FsArgs {

  private FsArgs() {
  }

  static List<QemuArg> ninep(Filesystem9p f) {
    String fsdev = derived(f.id(), "fs");
    QemuOpts backend = QemuOpts.of("local").add("id", fsdev).add("path", f.path())
        .add("security_model", f.securityModel().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .addIfTrue("readonly", f.readOnly());
    QemuOpts dev = QemuOpts.of("virtio-9p-pci").add("id", f.id()).add("fsdev", fsdev)
        .add("mount_tag", f.mountTag()).add("bus", f.bus());
    return List.of(new QemuArg("-fsdev", backend), device(dev));
  }

  static List<QemuArg> virtioFs(VirtioFs f) {
    QemuOpts dev = QemuOpts.of("vhost-user-fs-pci").add("id", f.id()).add("chardev", derived(f.id(), "chr"))
        .add("tag", f.tag()).add("queue-size", f.queueSize()).add("bus", f.bus());
    return List.of(DeviceArgs.vhostUserChardev(f.id(), f.socket()), device(dev));
  }
}

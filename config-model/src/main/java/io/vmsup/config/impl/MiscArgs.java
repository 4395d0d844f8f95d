package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceArgs.derived;
import static io.vmsup.config.impl.DeviceArgs.device;
import static io.vmsup.config.impl.DeviceArgs.object;

import io.vmsup.config.Balloon;
import io.vmsup.config.Iothread;
import io.vmsup.config.Pvpanic;
import io.vmsup.config.Rng;
import io.vmsup.config.Vsock;
import java.util.List;

/** Iothreads, entropy, balloon, pvpanic and vsock. */
final class MiscArgs {

  private MiscArgs() {
  }

  static List<QemuArg> iothread(Iothread t) {
    return List.of(object(QemuOpts.of("iothread").add("id", t.id())));
  }

  static List<QemuArg> rng(Rng r) {
    String backend = derived(r.id(), "rng");
    return List.of(object(QemuOpts.of("rng-random").add("id", backend).add("filename", r.source())),
        device(QemuOpts.of("virtio-rng-pci").add("id", r.id()).add("rng", backend).add("bus", r.bus())));
  }

  static List<QemuArg> balloon(Balloon b) {
    return List.of(device(QemuOpts.of("virtio-balloon-pci").add("id", b.id()).add("bus", b.bus())
        .addIfTrue("deflate-on-oom", b.deflateOnOom())));
  }

  static List<QemuArg> pvpanic(Pvpanic p) {
    if (p.model() == Pvpanic.Model.PCI) {
      return List.of(device(QemuOpts.of("pvpanic-pci").add("id", p.id()).add("bus", p.bus())));
    }
    return List.of(device(QemuOpts.of("pvpanic").add("id", p.id())));
  }

  static List<QemuArg> vsock(Vsock v) {
    return List.of(device(QemuOpts.of("vhost-vsock-pci").add("id", v.id()).add("guest-cid", v.cid())
        .add("bus", v.bus())));
  }
}

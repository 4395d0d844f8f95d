package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceArgs.derived;

import io.vmsup.config.Nic;
import java.util.ArrayList;
import java.util.List;

/** NICs: {@code -netdev} (tap, macvtap, vhost-user, user) plus the guest device. */
final class NetArgs {

  private NetArgs() {
  }

  /**
   * @param firstFd below 0: the QMP form, a tap or macvtap takes the descriptors the daemon passed under
   *                {@link Nic#descriptorNames()}; else the portable form: a tap by its name, a macvtap from the
   *                descriptors {@code firstFd, firstFd + 1...}
   */
  static List<QemuArg> nic(Nic n, int firstFd) {
    List<QemuArg> args = new ArrayList<>();
    String netdev = derived(n.id(), "net");
    QemuOpts net;
    switch (n.backend()) {
      case TAP, MACVTAP -> {
        net = QemuOpts.of("tap").add("id", netdev);
        if (firstFd < 0) {
          net.add(n.queues() > 1 ? "fds" : "fd", String.join(":", n.descriptorNames()));
        } else if (n.backend() == Nic.Backend.TAP) {
          net.add("ifname", n.ifname()).add("script", "no").add("downscript", "no");
        } else {
          List<String> numbers = new ArrayList<>();
          for (int q = 0; q < n.queues(); q++) {
            numbers.add(String.valueOf(firstFd + q));
          }
          net.add(n.queues() > 1 ? "fds" : "fd", String.join(":", numbers));
        }
        net.add("vhost", n.vhost());
        if (n.queues() > 1 && firstFd >= 0 && n.backend() == Nic.Backend.TAP) {
          net.add("queues", n.queues());
        }
      }
      case VHOST_USER -> {
        args.add(DeviceArgs.vhostUserChardev(n.id(), n.socket().orElseThrow()));
        net = QemuOpts.of("vhost-user").add("id", netdev).add("chardev", derived(n.id(), "chr"));
        if (n.queues() > 1) {
          net.add("queues", n.queues());
        }
      }
      default -> {
        net = QemuOpts.of("user").add("id", netdev);
        for (io.vmsup.config.HostForward f : n.hostForwards()) {
          net.add("hostfwd", f.toQemu());
        }
      }
    }
    args.add(new QemuArg("-netdev", net));
    QemuOpts dev = QemuOpts.of(n.model() == Nic.Model.E1000E ? "e1000e" : "virtio-net-pci")
        .add("id", n.id()).add("netdev", netdev).add("mac", n.mac()).add("bus", n.bus());
    if (n.queues() > 1) {
      // virtio-net needs MSI-X vectors for each rx/tx queue pair plus config and control (QEMU docs/multiqueue)
      dev.add("mq", true).add("vectors", 2 * n.queues() + 2);
    }
    dev.add("bootindex", n.bootIndex());
    args.add(DeviceArgs.device(dev));
    return args;
  }

  /**
   * The {@code netdev_add} arguments of a {@code -netdev}: as {@link QemuOpts#toQmp}, except that QMP takes
   * {@code hostfwd} as a list of {@code {"str": ...}} objects (qapi/net.json {@code NetdevUserOptions}).
   */
  static java.util.Map<String, Object> toQmp(QemuOpts netdev) {
    java.util.Map<String, Object> args = netdev.toQmp("type");
    List<Object> forwards = new ArrayList<>();
    for (java.util.Map.Entry<String, Object> e : netdev.entries()) {
      if (e.getKey().equals("hostfwd")) {
        forwards.add(java.util.Map.of("str", e.getValue()));
      }
    }
    if (!forwards.isEmpty()) {
      args.put("hostfwd", forwards);
    }
    return args;
  }
}

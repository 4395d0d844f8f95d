package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceArgs.derived;

import io.vmsup.config.Nic;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** NICs: {@code -netdev} (tap, macvtap via fds, vhost-user, user) plus the guest device. */
final class NetArgs {

  private NetArgs() {
  }

  static List<QemuArg> nic(Nic n) {
    List<QemuArg> args = new ArrayList<>();
    String netdev = derived(n.id(), "net");
    QemuOpts net;
    switch (n.backend()) {
      case TAP, MACVTAP -> {
        net = QemuOpts.of("tap").add("id", netdev);
        if (n.fds().isEmpty()) {
          net.add("ifname", n.ifname()).add("script", "no").add("downscript", "no");
        } else {
          net.add("fds", joinFds(n.fds()));
        }
        net.add("vhost", n.vhost());
        if (!n.vhostFds().isEmpty()) {
          net.add("vhostfds", joinFds(n.vhostFds()));
        }
        if (n.queues() > 1 && n.fds().isEmpty()) {
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
      default -> net = QemuOpts.of("user").add("id", netdev);
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

  private static String joinFds(List<Integer> fds) {
    return fds.stream().map(String::valueOf).collect(Collectors.joining(":"));
  }
}

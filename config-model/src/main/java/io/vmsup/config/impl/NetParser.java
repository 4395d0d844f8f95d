package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceParser.bus;
import static io.vmsup.config.impl.DeviceParser.id;
import static io.vmsup.config.impl.DeviceParser.pci;

import io.vmsup.config.Device;
import io.vmsup.config.Nic;
import io.vmsup.config.Nic.Backend;
import java.util.List;
import java.util.Optional;

/** Parser of NICs, with the rules that tie backend, fds, vhost and queues together. */
final class NetParser {

  static final java.util.regex.Pattern NETWORK = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private NetParser() {
  }

  static Device nic(Obj o) {
    Problems p = o.problems();
    String id = id(o);
    Optional<String> network = o.optString("network");
    network.ifPresent(n -> p.check(NETWORK.matcher(n).matches(), o.at("network"),
        "must be a network name: 1-32 characters of a-z 0-9 and -, starting with a letter or digit"));
    Backend backend = o.enumOf("backend", Backend.class, network.isPresent() ? Backend.TAP : Backend.USER);
    p.check(o.has("backend") || network.isPresent(), o.at("backend"),
        "is required: one of \"tap\", \"macvtap\", \"vhost-user\", \"user\" (or name a \"network\")");
    Optional<String> mac = o.optString("mac");
    mac.ifPresent(m -> p.check(Rules.isUnicastMac(m), o.at("mac"),
        "must be a unicast MAC address like 52:54:00:12:34:56"));
    Optional<String> ifname = o.optString("ifname");
    ifname.ifPresent(n -> p.check(Rules.IFNAME.matcher(n).matches() && !n.equals(".") && !n.equals(".."),
        o.at("ifname"), "must be an interface name of 1-15 characters from A-Z a-z 0-9 _ . -"));
    for (String key : List.of("fds", "vhostFds")) {
      o.raw(key).ifPresent(v -> p.add(o.at(key), "descriptor numbers are not accepted: they would name the daemon's"
          + " own descriptors, not yours. Give the tap's or macvtap link's \"ifname\"; the daemon opens it and hands"
          + " the descriptors to QEMU itself"));
    }
    boolean vhost = o.bool("vhost", false);
    int queues = o.integer("queues", 1, 1, 64);
    Optional<String> socket = o.optString("socket");
    socket.ifPresent(s -> TopParser.absolute(p, o.at("socket"), s));
    List<io.vmsup.config.HostForward> forwards = ForwardParser.forwards(o);
    p.check(forwards.isEmpty() || backend == Backend.USER, o.at("hostForwards"),
        "is only for backend \"user\" (a NIC on a tap or network is reached at its own address)");
    Nic nic = new Nic(id, backend, o.enumOf("model", Nic.Model.class, Nic.Model.VIRTIO_NET), mac, ifname, vhost,
        queues, socket, bus(o), o.optInt("bootIndex", 0, 255), pci(o), network, forwards);
    rules(o, nic);
    return nic;
  }

  private static void rules(Obj o, Nic n) {
    Problems p = o.problems();
    if (n.network().isPresent()) {
      p.check(n.backend() == Backend.TAP, o.at("backend"), "must be \"tap\" (or absent) for a NIC on a network");
      p.check(n.ifname().isEmpty(), o.at("ifname"),
          "is not for a NIC on a network: the daemon makes its tap (leave \"ifname\" out)");
      p.check(n.queues() == 1 || n.model() == Nic.Model.VIRTIO_NET, o.at("queues"),
          "more than 1 queue needs model \"virtio-net\"");
      return;
    }
    boolean tapLike = n.backend() == Backend.TAP || n.backend() == Backend.MACVTAP;
    p.check(tapLike || n.ifname().isEmpty(), o.at("ifname"), "is only for backends \"tap\" and \"macvtap\"");
    p.check(!tapLike || n.ifname().isPresent(), o.at("ifname"), "is required for backend \""
        + ArgvRenderer.lower(n.backend()) + "\": the " + (n.backend() == Backend.TAP ? "tap" : "macvtap link")
        + " the daemon opens for QEMU");
    p.check(tapLike || !n.vhost(), o.at("vhost"), "is only for backends \"tap\" and \"macvtap\"");
    p.check(n.backend() == Backend.VHOST_USER == o.has("socket"), o.at("socket"),
        n.backend() == Backend.VHOST_USER ? "is required for backend \"vhost-user\"" : "is only for backend"
            + " \"vhost-user\"");
    p.check(n.queues() == 1 || n.model() == Nic.Model.VIRTIO_NET && n.backend() != Backend.USER, o.at("queues"),
        "more than 1 queue needs model \"virtio-net\" and backend tap, macvtap or vhost-user");
    p.check(n.backend() != Backend.VHOST_USER || n.model() == Nic.Model.VIRTIO_NET, o.at("model"),
        "backend \"vhost-user\" needs model \"virtio-net\"");
  }
}

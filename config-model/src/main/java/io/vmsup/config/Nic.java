package io.vmsup.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A network interface: {@code -netdev} ({@code <id>.net}) plus {@code -device virtio-net-pci|e1000e}.
 *
 * @param id        device id
 * @param backend   {@code tap}, {@code macvtap} (needs {@code fds}), {@code vhost-user} (needs {@code socket}) or
 *                  {@code user}
 * @param model     {@code virtio-net} (default) or {@code e1000e}
 * @param mac       unicast MAC {@code 52:54:00:12:34:56}; absent = the daemon assigns a stable one (PciLayout#macs)
 * @param ifname    tap interface name (tap only; 1-15 characters), or use {@code fds}
 * @param fds       already-open tap file descriptors, one per queue (tap and macvtap)
 * @param vhost     use the vhost-net kernel accelerator (tap/macvtap); needs {@code /dev/vhost-net} on the host
 * @param vhostFds  already-open vhost-net descriptors, one per queue (needs {@code vhost} and {@code fds})
 * @param queues    queue pairs, 1..64, default 1; more than one enables multiqueue (virtio-net only)
 * @param socket    vhost-user backend socket path (QEMU connects as client; chardev {@code <id>.chr})
 * @param bus       bridge or root port id
 * @param bootIndex boot order
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record Nic(String id, Backend backend, Model model, Optional<String> mac, Optional<String> ifname,
    List<Integer> fds, boolean vhost, List<Integer> vhostFds, int queues, Optional<String> socket,
    Optional<String> bus, OptionalInt bootIndex, PciOptions pci) implements Device, PciPlaced {

  public Nic {
    fds = List.copyOf(fds);
    vhostFds = List.copyOf(vhostFds);
  }

  /** Host side of the NIC. */
  public enum Backend { TAP, MACVTAP, VHOST_USER, USER }

  /** Guest-visible NIC model. */
  public enum Model { VIRTIO_NET, E1000E }

  /** The same NIC with this MAC (the daemon's assigned one, for a spec that names none). */
  public Nic withMac(String address) {
    return new Nic(id, backend, model, Optional.of(address), ifname, fds, vhost, vhostFds, queues, socket, bus,
        bootIndex, pci);
  }

  @Override
  public DeviceKind kind() {
    return DeviceKind.NIC;
  }
}

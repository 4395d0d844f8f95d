package io.vmsup.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A network interface: {@code -netdev} ({@code <id>.net}) plus {@code -device virtio-net-pci|e1000e}.
 *
 * @param id        device id
 * @param backend   {@code tap}, {@code macvtap}, {@code vhost-user} (needs {@code socket}) or {@code user}; the
 *                  daemon opens a tap or macvtap itself and hands its descriptors to QEMU ({@link #handedOver()})
 * @param model     {@code virtio-net} (default) or {@code e1000e}
 * @param mac       unicast MAC {@code 52:54:00:12:34:56}; absent = the daemon assigns a stable one (PciLayout#macs)
 * @param ifname    the tap, or the macvtap link, to attach to (required for tap and macvtap; 1-15 characters)
 * @param vhost     use the vhost-net kernel accelerator (tap/macvtap); needs {@code /dev/vhost-net} on the host
 * @param queues    queue pairs, 1..64, default 1; more than one enables multiqueue (virtio-net only)
 * @param socket    vhost-user backend socket path (QEMU connects as client; chardev {@code <id>.chr})
 * @param bus       bridge or root port id
 * @param bootIndex boot order
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 * @param network   a managed network of the daemon (backend {@code tap}): the daemon makes the tap, named by
 *                  {@link #tapName}, which the parser puts in {@code ifname}
 * @param hostForwards port forwards from the host into the guest (backend {@code user} only), in spec order
 */
public record Nic(String id, Backend backend, Model model, Optional<String> mac, Optional<String> ifname,
    boolean vhost, int queues, Optional<String> socket, Optional<String> bus, OptionalInt bootIndex, PciOptions pci,
    Optional<String> network, List<HostForward> hostForwards)
    implements Device, PciPlaced {

  public Nic {
    hostForwards = List.copyOf(hostForwards);
  }

  /** A NIC without port forwards. */
  public Nic(String id, Backend backend, Model model, Optional<String> mac, Optional<String> ifname,
      boolean vhost, int queues, Optional<String> socket, Optional<String> bus, OptionalInt bootIndex,
      PciOptions pci, Optional<String> network) {
    this(id, backend, model, mac, ifname, vhost, queues, socket, bus, bootIndex, pci, network, List.of());
  }

  /**
   * True for tap and macvtap: the daemon opens the interface (one descriptor per queue) and hands the descriptors to
   * QEMU over QMP ({@code getfd}, then {@code netdev_add} and {@code device_add}), so the launch form leaves this NIC
   * out of the command line and QEMU never opens host network devices itself. The NIC therefore sits on a bus that
   * takes hot-plug (on q35 a {@code pcie-root-port}).
   */
  public boolean handedOver() {
    return backend == Backend.TAP || backend == Backend.MACVTAP;
  }

  /**
   * The names under which the daemon passes this NIC's descriptors ({@code getfd}), one per queue, in queue order:
   * {@code <id>.fd0}, {@code <id>.fd1}...; empty unless {@link #handedOver()}.
   */
  public List<String> descriptorNames() {
    if (!handedOver()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (int q = 0; q < queues; q++) {
      names.add(id + ".fd" + q);
    }
    return List.copyOf(names);
  }

  /** A NIC on no managed network. */
  public Nic(String id, Backend backend, Model model, Optional<String> mac, Optional<String> ifname,
      boolean vhost, int queues, Optional<String> socket, Optional<String> bus, OptionalInt bootIndex,
      PciOptions pci) {
    this(id, backend, model, mac, ifname, vhost, queues, socket, bus, bootIndex, pci, Optional.empty(), List.of());
  }

  /**
   * The tap the daemon makes for NIC {@code nic} of VM {@code vm} on a managed network: {@code vt} and ten hex
   * digits of SHA-256 over both names (an interface name has at most 15 characters; unique per VM and NIC).
   */
  public static String tapName(String vm, String nic) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256")
          .digest((vm + '\0' + nic).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "vt" + java.util.HexFormat.of().formatHex(h).substring(0, 10);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The same NIC with the tap of VM {@code vm} as its {@code ifname} (a NIC on a managed network). */
  public Nic withTapOf(String vm) {
    return new Nic(id, backend, model, mac, Optional.of(tapName(vm, id)), vhost, queues, socket, bus, bootIndex, pci,
        network, hostForwards);
  }

  /** Host side of the NIC. */
  public enum Backend { TAP, MACVTAP, VHOST_USER, USER }

  /** Guest-visible NIC model. */
  public enum Model { VIRTIO_NET, E1000E }

  /** The same NIC with this MAC (the daemon's assigned one, for a spec that names none). */
  public Nic withMac(String address) {
    return new Nic(id, backend, model, Optional.of(address), ifname, vhost, queues, socket, bus, bootIndex, pci,
        network, hostForwards);
  }

  @Override
  public DeviceKind kind() {
    return DeviceKind.NIC;
  }
}

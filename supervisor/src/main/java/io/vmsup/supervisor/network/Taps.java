package io.vmsup.supervisor.network;

import io.vmsup.supervisor.network.impl.HostTaps;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The taps of NICs on managed networks (named by {@link io.vmsup.config.Nic#tapName}): made before QEMU starts (or
 * a NIC is hot-plugged), attached to the network's bridge, owned by the VM's uid when QEMU runs under one, and
 * removed after QEMU ended (or the NIC was unplugged). Every method is blocking: call it on a worker.
 */
public interface Taps {

  /**
   * Makes the tap (replacing a leftover of the same name), multi-queue when {@code queues} > 1, usable by
   * {@code uid} when present, attached to {@code bridge} and up.
   *
   * @throws IOException when {@code ip} fails (the message names the command and its output)
   */
  static void create(String tap, String bridge, int queues, OptionalInt uid) throws IOException {
    HostTaps.create(tap, bridge, queues, uid);
  }

  /** Removes the tap; nothing when it does not exist. */
  static void delete(String tap) {
    HostTaps.delete(tap);
  }

  /**
   * The tap's counters from {@code /sys/class/net/TAP/statistics} ({@code rx_bytes}, {@code rx_packets},
   * {@code tx_bytes}, {@code tx_packets}: rx is what the guest sent), empty when the tap does not exist.
   */
  static Map<String, Long> counters(String tap) {
    return HostTaps.counters(tap);
  }
}

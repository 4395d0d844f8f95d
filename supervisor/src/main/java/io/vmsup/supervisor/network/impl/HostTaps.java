package io.vmsup.supervisor.network.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** The taps behind {@link io.vmsup.supervisor.network.Taps}, through iproute2. Blocking. */
public final class HostTaps {

  private static final List<String> COUNTERS = List.of("rx_bytes", "rx_packets", "tx_bytes", "tx_packets");

  private HostTaps() {
  }

  public static void create(String tap, String bridge, int queues, OptionalInt uid) throws IOException {
    if (Files.exists(Path.of("/sys/class/net", tap))) {
      Cmd.run(null, HostNetwork.IP, "link", "del", "dev", tap);
    }
    List<String> add = Cmd.of(HostNetwork.IP, "tuntap", "add", "dev", tap, "mode", "tap");
    if (queues > 1) {
      add.add("multi_queue");
    }
    if (uid.isPresent()) {
      add.addAll(List.of("user", String.valueOf(uid.getAsInt())));
    }
    Cmd.run(add);
    try {
      Cmd.run(null, HostNetwork.IP, "link", "set", "dev", tap, "master", bridge);
      Cmd.run(null, HostNetwork.IP, "link", "set", "dev", tap, "up");
    } catch (IOException e) {
      delete(tap);
      throw e;
    }
  }

  public static void delete(String tap) {
    if (Files.exists(Path.of("/sys/class/net", tap))) {
      Cmd.quietly(HostNetwork.IP, "link", "del", "dev", tap);
    }
  }

  public static Map<String, Long> counters(String tap) {
    Map<String, Long> out = new LinkedHashMap<>();
    Path dir = Path.of("/sys/class/net", tap, "statistics");
    for (String c : COUNTERS) {
      try {
        out.put(c, Long.parseLong(Files.readString(dir.resolve(c)).trim()));
      } catch (IOException | NumberFormatException e) {
        return Map.of();
      }
    }
    return out;
  }
}

package io.vmsup.supervisor.network.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.network.NetworkSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host side of a network through iproute2 and nft: the bridge (marked as ours by its alias), its gateway
 * address, and one nftables table per network. Every method is idempotent (re-adoption after a daemon restart runs
 * the same steps) and blocking: call them on a worker only.
 */
final class HostNetwork {

  /** The alias that marks a bridge as this daemon's: {@code vmsup-network:NAME}. */
  static final String ALIAS_PREFIX = "vmsup-network:";
  static final String IP = "/usr/sbin/ip";
  static final String NFT = "/usr/sbin/nft";
  private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

  private HostNetwork() {
  }

  /** The link's alias ("" when it has none), or empty when no link of that name exists. */
  static Optional<String> alias(String ifname) throws IOException {
    JsonArray links = new JsonArray(Cmd.run(null, IP, "-j", "link", "show"));
    for (Object l : links) {
      if (l instanceof JsonObject o && ifname.equals(o.getString("ifname"))) {
        return Optional.of(o.getString("ifalias", ""));
      }
    }
    return Optional.empty();
  }

  /** Whether the link exists and carries this network's alias. */
  static boolean ours(NetworkSpec n) throws IOException {
    return alias(n.bridge()).map((ALIAS_PREFIX + n.name())::equals).orElse(false);
  }

  /** The IPv4 subnets on the host's links other than {@code except}, as {@code ifname -> cidr} pairs. */
  static List<String[]> hostSubnets(String except) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (Object l : new JsonArray(Cmd.run(null, IP, "-j", "-4", "addr", "show"))) {
      JsonObject link = (JsonObject) l;
      if (except.equals(link.getString("ifname"))) {
        continue;
      }
      for (Object a : link.getJsonArray("addr_info", new JsonArray())) {
        JsonObject addr = (JsonObject) a;
        out.add(new String[] {link.getString("ifname"), addr.getString("local") + "/" + addr.getInteger("prefixlen")});
      }
    }
    return out;
  }

  /** Creates (or completes) the bridge: present, marked ours, the gateway address on it, up. */
  static void bridgeUp(NetworkSpec n) throws IOException {
    if (alias(n.bridge()).isEmpty()) {
      Cmd.run(null, IP, "link", "add", "name", n.bridge(), "type", "bridge");
    }
    Cmd.run(null, IP, "link", "set", "dev", n.bridge(), "alias", ALIAS_PREFIX + n.name());
    String prefix = n.subnet().substring(n.subnet().indexOf('/'));
    String address = n.gateway() + prefix;
    boolean present = false;
    for (Object l : new JsonArray(Cmd.run(null, IP, "-j", "-4", "addr", "show", "dev", n.bridge()))) {
      for (Object a : ((JsonObject) l).getJsonArray("addr_info", new JsonArray())) {
        JsonObject addr = (JsonObject) a;
        present |= (addr.getString("local") + "/" + addr.getInteger("prefixlen")).equals(address);
      }
    }
    if (!present) {
      Cmd.run(null, IP, "addr", "add", address, "dev", n.bridge());
    }
    Cmd.run(null, IP, "link", "set", "dev", n.bridge(), "up");
  }

  /** Removes the bridge when it is ours (taps on it are detached by the kernel). */
  static void bridgeDown(NetworkSpec n) throws IOException {
    if (ours(n)) {
      Cmd.run(null, IP, "link", "del", "dev", n.bridge());
    }
  }

  static String table(NetworkSpec n) {
    return "vmsup-" + n.name();
  }

  /**
   * Replaces the network's nftables table in one transaction (so re-adoption never duplicates a rule): forwarding
   * into the bridge only for replies, out of it only with NAT (then masqueraded).
   */
  static void rulesUp(NetworkSpec n) throws IOException {
    String br = "\"" + n.bridge() + "\"";
    StringBuilder s = new StringBuilder();
    s.append("table ip ").append(table(n)).append("\n");
    s.append("delete table ip ").append(table(n)).append("\n");
    s.append("table ip ").append(table(n)).append(" {\n");
    s.append("  chain forward {\n    type filter hook forward priority 0; policy accept;\n");
    s.append("    iifname ").append(br).append(" oifname ").append(br).append(" accept\n");
    s.append("    oifname ").append(br).append(" ct state established,related accept\n");
    s.append("    oifname ").append(br).append(" drop\n");
    if (!n.nat()) {
      s.append("    iifname ").append(br).append(" drop\n");
    }
    s.append("  }\n");
    if (n.nat()) {
      s.append("  chain postrouting {\n    type nat hook postrouting priority 100; policy accept;\n");
      s.append("    ip saddr ").append(n.subnet()).append(" ip daddr != ").append(n.subnet())
          .append(" masquerade\n  }\n");
    }
    s.append("}\n");
    Cmd.run(s.toString(), NFT, "-f", "-");
  }

  static boolean rulesPresent(NetworkSpec n) {
    return Cmd.quietly(NFT, "list", "table", "ip", table(n));
  }

  static void rulesDown(NetworkSpec n) throws IOException {
    if (rulesPresent(n)) {
      Cmd.run(null, NFT, "delete", "table", "ip", table(n));
    }
  }

  static String ipForward() throws IOException {
    return Files.readString(IP_FORWARD, StandardCharsets.US_ASCII).trim();
  }

  static void ipForward(String value) throws IOException {
    Files.writeString(IP_FORWARD, value + "\n", StandardCharsets.US_ASCII);
  }
}

package io.vmsup.supervisor.network;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A managed network as the daemon keeps it, every default filled in: a Linux bridge with the gateway address on it,
 * optionally DHCP (a supervised dnsmasq) and NAT (an nftables masquerade). Parsed and validated by the network
 * verticle from {@code {"name","bridge"?,"subnet","gateway"?,"dhcp":{"range":[START,END]}?,"nat"?}}.
 *
 * @param name    {@code [a-z0-9][a-z0-9-]*}, at most 32 characters
 * @param bridge  the bridge's interface name (default {@code vmbr-NAME})
 * @param subnet  IPv4 CIDR, its network address ({@code 10.10.0.0/24})
 * @param gateway the host's address on the bridge (default: the first host address of the subnet)
 * @param dhcp    the DHCP range, when dnsmasq serves addresses on the network
 * @param nat     whether the guests reach other networks through the host (masquerade); otherwise the bridge is
 *                an island: nothing is forwarded in or out
 */
public record NetworkSpec(String name, String bridge, String subnet, String gateway, Optional<DhcpRange> dhcp,
    boolean nat) {

  /** The first and last address dnsmasq hands out. */
  public record DhcpRange(String start, String end) {
  }

  /** The stored and shown form. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("name", name).put("bridge", bridge).put("subnet", subnet)
        .put("gateway", gateway);
    dhcp.ifPresent(d -> j.put("dhcp", new JsonObject().put("range", new JsonArray().add(d.start()).add(d.end()))));
    return j.put("nat", nat);
  }
}

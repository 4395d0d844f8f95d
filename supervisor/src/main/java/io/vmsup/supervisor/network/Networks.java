package io.vmsup.supervisor.network;

import io.vertx.core.VerticleBase;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.network.impl.NetworkVerticle;
import java.nio.file.Path;
import java.util.Map;

/**
 * Managed networks: a Linux bridge with the gateway address, optionally DHCP (a supervised dnsmasq) and NAT (an
 * nftables masquerade), created on request and re-adopted after a daemon restart; nothing is created on the host
 * until a network is. The verticle answers {@link io.vmsup.supervisor.api.Addresses#NETWORK_CREATE},
 * {@code NETWORK_LIST}, {@code NETWORK_GET} and {@code NETWORK_DELETE}:
 * <ul>
 *   <li>create: body {@code {"name","bridge"?,"subnet","gateway"?,"dhcp":{"range":[START,END]}?,"nat"?}}; reply
 *   the network view. Fails INVALID (every violation with its path: a bad field, a subnet overlapping another
 *   network's or the host's, a bridge name that exists and is not ours), CONFLICT (the name exists), INTERNAL (a
 *   host tool failed; everything made so far is removed again).</li>
 *   <li>get {@code {"name"}} / list {@code {}}: the view(s): the definition plus {@code "dhcp"} state
 *   ({@code dnsmasq} pid, running, restarts), {@code "leases"} ({@code [{"mac","ip","expires","hostname"?}]}) and
 *   {@code "vms"} (the VMs whose spec has a NIC on it). Fails NOT_FOUND.</li>
 *   <li>delete {@code {"name"}}: stops dnsmasq, removes the rules and the bridge, restores ip_forward when no NAT
 *   network is left. Fails NOT_FOUND, CONFLICT while a VM's spec uses the network (naming the VMs).</li>
 * </ul>
 * Every host command (ip, nft, dnsmasq) runs on a worker, one operation at a time.
 */
public interface Networks {

  /**
   * Every violation of a network definition as the create command would list them ({@code [{"path","message"}]},
   * the host not consulted); empty when the definition is well formed. The HTTP edge explains a refused body with it.
   */
  static io.vertx.core.json.JsonArray violations(io.vertx.core.json.JsonObject body) {
    return io.vmsup.supervisor.network.impl.NetworkParser.violations(body);
  }

  /** The directory of the networks inside the state directory. */
  static Path dir(Path stateDir) {
    // absolute: dnsmasq runs in the network's directory and is handed its lease and pid file paths
    return stateDir.toAbsolutePath().normalize().resolve("networks");
  }

  /**
   * The verticle; {@code vms} is the daemon's VM table (read to tell which VMs use a network).
   */
  static VerticleBase verticle(Path stateDir, Map<String, VmHandle> vms) {
    return new NetworkVerticle(dir(stateDir), vms);
  }

  /** As {@link #verticle(Path, Map)}, answering on {@code at.apply(plain)} (a fleet member's own addresses). */
  static VerticleBase verticle(Path stateDir, Map<String, VmHandle> vms,
      java.util.function.UnaryOperator<String> at) {
    return new NetworkVerticle(dir(stateDir), vms, at);
  }
}

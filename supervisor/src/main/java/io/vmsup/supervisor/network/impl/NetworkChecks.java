package io.vmsup.supervisor.network.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.network.NetworkSpec;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** What a new network must not clash with: the daemon's other networks and the host's links. Blocking. */
final class NetworkChecks {

  private NetworkChecks() {
  }

  /** Fails INVALID with every clash, each at its path. */
  static void againstHost(NetworkSpec n, List<NetworkSpec> others) throws IOException {
    JsonArray problems = new JsonArray();
    Ipv4.Cidr subnet = Ipv4.Cidr.parse(n.subnet()).orElseThrow();
    for (NetworkSpec o : others) {
      if (o.bridge().equals(n.bridge())) {
        problems.add(problem("bridge", "is the bridge of network '" + o.name() + "'"));
      }
      if (Ipv4.Cidr.parse(o.subnet()).orElseThrow().overlaps(subnet)) {
        problems.add(problem("subnet", "overlaps " + o.subnet() + " of network '" + o.name() + "'"));
      }
    }
    Optional<String> alias = HostNetwork.alias(n.bridge());
    if (alias.isPresent() && !alias.get().equals(HostNetwork.ALIAS_PREFIX + n.name())) {
      problems.add(problem("bridge", "interface " + n.bridge() + " exists and is not vmsup's (choose another"
          + " bridge name)"));
    }
    java.util.Set<String> ours = new java.util.HashSet<>();
    others.forEach(o -> ours.add(o.bridge()));
    for (String[] a : HostNetwork.hostSubnets(n.bridge())) {
      if (ours.contains(a[0])) {
        continue;
      }
      Optional<Ipv4.Cidr> c = Ipv4.Cidr.parse(a[1]);
      if (c.isPresent() && c.get().prefix() > 0 && new Ipv4.Cidr(c.get().network() & Ipv4.mask(c.get().prefix()),
          c.get().prefix()).overlaps(subnet)) {
        problems.add(problem("subnet", "overlaps " + a[1] + " on the host's interface " + a[0]));
      }
    }
    if (!problems.isEmpty()) {
      throw VmException.invalid("invalid network", problems);
    }
  }

  private static JsonObject problem(String path, String message) {
    return new JsonObject().put("path", path).put("message", message);
  }
}

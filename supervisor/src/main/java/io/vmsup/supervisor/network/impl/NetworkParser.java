package io.vmsup.supervisor.network.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.network.NetworkSpec;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a network definition, collecting every problem with its path; nothing here touches the host. */
public final class NetworkParser {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
  static final String BRIDGE_PREFIX = "vmbr-";
  private static final Set<String> FIELDS = Set.of("name", "bridge", "subnet", "gateway", "dhcp", "nat");

  private final JsonArray problems = new JsonArray();

  private NetworkParser() {
  }

  /** Every violation of a network definition ({@code [{"path","message"}]}); empty when it is valid. */
  public static io.vertx.core.json.JsonArray violations(JsonObject body) {
    NetworkParser p = new NetworkParser();
    p.read(body == null ? new JsonObject() : body);
    return p.problems.copy();
  }

  /** The network, defaults filled in; fails with INVALID and every violation. */
  static NetworkSpec parse(JsonObject body) {
    NetworkParser p = new NetworkParser();
    NetworkSpec spec = p.read(body == null ? new JsonObject() : body);
    if (!p.problems.isEmpty()) {
      throw VmException.invalid("invalid network", p.problems);
    }
    return spec;
  }

  private NetworkSpec read(JsonObject o) {
    o.fieldNames().stream().filter(f -> !FIELDS.contains(f)).sorted()
        .forEach(f -> fail(f, "unknown field; allowed: bridge, dhcp, gateway, name, nat, subnet"));
    String name = string(o, "name", true);
    if (name != null && !NAME.matcher(name).matches()) {
      fail("name", "must be 1-32 characters of a-z 0-9 and -, starting with a letter or digit");
    }
    String bridge = string(o, "bridge", false);
    if (bridge == null && name != null) {
      bridge = BRIDGE_PREFIX + name;
      if (bridge.length() > 15) {
        fail("bridge", "is required for a name longer than 10 characters (the default vmbr-NAME would be longer"
            + " than the 15 characters of an interface name)");
      }
    } else if (bridge != null && (!IFNAME.matcher(bridge).matches() || bridge.equals(".") || bridge.equals(".."))) {
      fail("bridge", "must be an interface name of 1-15 characters from A-Z a-z 0-9 _ . -");
    }
    Ipv4.Cidr subnet = subnet(o);
    String gateway = gateway(o, subnet);
    Optional<NetworkSpec.DhcpRange> dhcp = dhcp(o, subnet, gateway);
    boolean nat = false;
    if (o.containsKey("nat")) {
      if (o.getValue("nat") instanceof Boolean b) {
        nat = b;
      } else {
        fail("nat", "must be true or false");
      }
    }
    return new NetworkSpec(name, bridge, subnet == null ? null : subnet.toString(), gateway, dhcp, nat);
  }

  private Ipv4.Cidr subnet(JsonObject o) {
    String text = string(o, "subnet", true);
    if (text == null) {
      return null;
    }
    Optional<Ipv4.Cidr> c = Ipv4.Cidr.parse(text);
    if (c.isEmpty() || c.get().prefix() < 8 || c.get().prefix() > 30) {
      fail("subnet", "must be an IPv4 subnet A.B.C.D/N with N from 8 to 30, like 10.10.0.0/24");
      return null;
    }
    if ((c.get().network() & Ipv4.mask(c.get().prefix())) != c.get().network()) {
      fail("subnet", "has host bits set: the subnet is " + Ipv4.format(c.get().network() & Ipv4.mask(
          c.get().prefix())) + "/" + c.get().prefix());
      return null;
    }
    return c.get();
  }

  private String gateway(JsonObject o, Ipv4.Cidr subnet) {
    String text = string(o, "gateway", false);
    if (text == null) {
      return subnet == null ? null : Ipv4.format(subnet.network() + 1);
    }
    Optional<Long> g = Ipv4.parse(text);
    if (g.isEmpty()) {
      fail("gateway", "must be an IPv4 address like 10.10.0.1");
    } else if (subnet != null && !subnet.hostAddress(g.get())) {
      fail("gateway", "must be a host address inside the subnet " + subnet + " (not its network or broadcast"
          + " address)");
    }
    return text;
  }

  private Optional<NetworkSpec.DhcpRange> dhcp(JsonObject o, Ipv4.Cidr subnet, String gateway) {
    if (!o.containsKey("dhcp")) {
      return Optional.empty();
    }
    if (!(o.getValue("dhcp") instanceof JsonObject d)) {
      fail("dhcp", "must be an object {\"range\": [START, END]} ({} for the upper half of the subnet)");
      return Optional.empty();
    }
    d.fieldNames().stream().filter(f -> !f.equals("range")).sorted()
        .forEach(f -> fail("dhcp." + f, "unknown field; allowed: range"));
    if (!d.containsKey("range")) {
      if (subnet == null) {
        return Optional.empty();
      }
      long size = subnet.broadcast() - subnet.network();
      return Optional.of(new NetworkSpec.DhcpRange(Ipv4.format(subnet.network() + (size + 1) / 2),
          Ipv4.format(subnet.broadcast() - 1)));
    }
    if (!(d.getValue("range") instanceof JsonArray r) || r.size() != 2 || !(r.getValue(0) instanceof String a)
        || !(r.getValue(1) instanceof String b)) {
      fail("dhcp.range", "must be two IPv4 addresses [START, END] inside the subnet");
      return Optional.empty();
    }
    if (subnet == null) {
      return Optional.empty();
    }
    Optional<Long> start = Ipv4.parse(a);
    Optional<Long> end = Ipv4.parse(b);
    for (int i = 0; i < 2; i++) {
      Optional<Long> v = i == 0 ? start : end;
      if (v.isEmpty() || !subnet.hostAddress(v.get())) {
        fail("dhcp.range[" + i + "]", "must be a host address inside the subnet " + subnet);
      }
    }
    if (start.isPresent() && end.isPresent() && start.get() > end.get()) {
      fail("dhcp.range", "START must not come after END");
    }
    Optional<Long> g = Ipv4.parse(gateway);
    if (g.isPresent() && start.isPresent() && end.isPresent() && g.get() >= start.get() && g.get() <= end.get()) {
      fail("dhcp.range", "must not hold the gateway " + gateway);
    }
    return Optional.of(new NetworkSpec.DhcpRange(a, b));
  }

  private String string(JsonObject o, String field, boolean required) {
    Object v = o.getValue(field);
    if (v == null) {
      if (required) {
        fail(field, "is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      fail(field, "must be a string");
      return null;
    }
    return s;
  }

  private void fail(String path, String message) {
    problems.add(new JsonObject().put("path", path).put("message", message));
  }
}

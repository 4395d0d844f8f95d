package io.vmsup.supervisor.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.guest.GuestImage;
import io.vmsup.supervisor.guest.TestGuest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real guests on managed networks, everything inside network namespaces of the test: a daemon process in one, an
 * "internet" host in another behind a veth pair. Two guests on one network get DHCP leases, ping each other, keep
 * their (different) MACs across a VM restart and a daemon restart, and their addresses show in {@code get}; a guest
 * on another network cannot reach them; NAT takes a guest to the "internet"; a restarted daemon re-adopts bridges,
 * taps and dnsmasq without doubling any; a network in use cannot be deleted; taps go with their QEMU.
 */
class NetworkGuestIT {

  @TempDir
  Path state;
  private NetNs ns;
  private NetNs internet;
  private NsDaemon daemon;
  private final Map<String, NsGuest> guests = new HashMap<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (NsGuest g : guests.values()) {
      g.close();
    }
    if (daemon != null) {
      daemon.close();
    }
    if (internet != null) {
      internet.close();
    }
    if (ns != null) {
      ns.close();
    }
  }

  private NsGuest guest(String name, String network) throws Exception {
    GuestImage image = TestGuest.image();
    daemon.expect(201, "POST", "/v1/vms", NsGuest.spec(name, image, new JsonArray().add(NsGuest.nic("net0",
        network))));
    NsGuest g = new NsGuest(() -> daemon, name);
    guests.put(name, g);
    g.start();
    return g;
  }

  private JsonObject nic(String vm) throws Exception {
    return daemon.expect(200, "GET", "/v1/vms/" + vm, null).getJsonArray("nics").getJsonObject(0);
  }

  private long taps() throws Exception {
    return ns.exec("ip", "-o", "link", "show").lines().filter(l -> l.matches("\\d+: vt[0-9a-f]{10}[:@].*")).count();
  }

  @Test
  void guestsOnANetworkTalkOtherNetworksCannotAndNatReachesTheInternet() throws Exception {
    GuestImage image = TestGuest.image();
    ns = NetNs.create();
    internet = NetNs.create();
    // the "internet": a veth pair from the daemon's namespace to a namespace holding 192.0.2.2
    ns.exec("ip", "link", "add", "uplink", "type", "veth", "peer", "name", "wan", "netns", internet.name);
    ns.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "uplink");
    ns.exec("ip", "link", "set", "uplink", "up");
    internet.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "wan");
    internet.exec("ip", "link", "set", "wan", "up");
    daemon = NsDaemon.start(ns, state, "--allowed-paths", image.roots().get(0) + ":/var/lib/vmsup");
    daemon.expect(201, "POST", "/v1/networks", NetworkIT.LAN);
    daemon.expect(201, "POST", "/v1/networks", new JsonObject().put("name", "other").put("subnet", "10.20.0.0/24")
        .put("dhcp", new JsonObject()));

    NsGuest a = guest("a", "lan");
    NsGuest b = guest("b", "lan");
    String ipA = a.lease();
    String ipB = b.lease();
    assertThat(ipA).startsWith("10.10.0.").isNotEqualTo(ipB);
    assertThat(b.ping(ipA)).as("same network").isTrue();
    JsonObject nicA = nic("a");
    JsonObject nicB = nic("b");
    assertThat(nicA.getString("ipv4")).isEqualTo(ipA);
    assertThat(nicB.getString("ipv4")).isEqualTo(ipB);
    assertThat(nicA.getString("mac")).isNotEqualTo(nicB.getString("mac"));
    assertThat(a.run("cat /sys/class/net/eth0/address").out()).contains(nicA.getString("mac"));
    assertThat(taps()).isEqualTo(2);

    assertThat(a.ping("192.0.2.2")).as("NAT to the internet").isTrue();
    assertThat(awaitCounter("vmsup_vm_net_transmit_packets_total{nic=\"net0\",vm=\"a\"}"))
        .as("the tap's counters: a sent its pings").isGreaterThan(0);

    NsGuest c = guest("c", "other");
    assertThat(c.lease()).startsWith("10.20.0.");
    assertThat(c.ping(ipA)).as("another network cannot reach lan").isFalse();
    assertThat(c.ping("192.0.2.2")).as("a network without nat is an island").isFalse();
    assertThat(a.ping(c.run("ip -4 -o addr show eth0").out().replaceAll("(?s).*inet ([0-9.]+)/.*", "$1")))
        .as("nor the other way").isFalse();

    JsonObject inUse = daemon.expect(409, "DELETE", "/v1/networks/lan", null);
    assertThat(inUse.toString()).contains("a").contains("b");

    // a VM restart: the same MAC, a tap again, the lease again
    daemon.expect(200, "POST", "/v1/vms/a/stop", new JsonObject().put("graceSeconds", 0));
    awaitTaps(2);
    a.start();
    assertThat(a.lease()).isEqualTo(ipA);
    assertThat(nic("a").getString("mac")).isEqualTo(nicA.getString("mac"));

    // a daemon restart with the VMs running: everything re-adopted, nothing doubled
    JsonObject before = daemon.expect(200, "GET", "/v1/networks/lan", null);
    daemon.close();
    daemon = NsDaemon.start(ns, state, "--allowed-paths", image.roots().get(0) + ":/var/lib/vmsup");
    JsonObject after = daemon.expect(200, "GET", "/v1/networks/lan", null);
    assertThat(after.getJsonObject("dnsmasq").getLong("pid")).isEqualTo(before.getJsonObject("dnsmasq")
        .getLong("pid"));
    assertThat(taps()).isEqualTo(3);
    assertThat(ns.exec("nft", "list", "ruleset").lines().filter(l -> l.contains("masquerade")).count()).isEqualTo(1);
    assertThat(b.ping(ipA)).isTrue();
    assertThat(nic("a").getString("mac")).isEqualTo(nicA.getString("mac"));
    assertThat(nic("b").getString("ipv4")).isEqualTo(ipB);

    // hot-plug a NIC on lan into c: a tap on lan's bridge, a lease there; unplugged, the tap goes
    daemon.expect(200, "POST", "/v1/vms/c/devices", NsGuest.nic("net1", "lan"));
    assertThat(taps()).isEqualTo(4);
    assertThat(c.run("for i in $(seq 1 100); do [ -e /sys/class/net/eth1 ] && break; sleep 0.2; done").rc()).isZero();
    String hot = c.lease("eth1");
    assertThat(hot).startsWith("10.10.0.").isNotIn(ipA, ipB);
    assertThat(c.ping(ipA)).isTrue();
    daemon.expect(200, "DELETE", "/v1/vms/c/devices/net1", null);
    assertThat(taps()).isEqualTo(3);

    for (String vm : new String[] {"a", "b", "c"}) {
      daemon.expect(200, "POST", "/v1/vms/" + vm + "/kill", null);
    }
    awaitTaps(0);
    daemon.expect(409, "DELETE", "/v1/networks/other", null);
    daemon.expect(204, "DELETE", "/v1/vms/c", null);
    daemon.expect(204, "DELETE", "/v1/networks/other", null);
    assertThat(ns.exec("ip", "-br", "link")).doesNotContain("vmbr-other").contains("vmbr-lan");
  }

  /** A counter's value from GET /metrics once the collector sampled it (interval 5 s by default). */
  private double awaitCounter(String series) throws Exception {
    for (int i = 0; i < 60; i++) {
      NsDaemon.Reply r = daemon.call("GET", "/metrics", null);
      for (String line : r.body().split("\n")) {
        if (line.startsWith(series + " ")) {
          return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no series " + series);
  }

  /** The taps go with their QEMU, just after it exited. */
  private void awaitTaps(long expected) throws Exception {
    for (int i = 0; i < 300 && taps() != expected; i++) {
      Thread.sleep(100);
    }
    assertThat(taps()).as("taps go with their QEMU").isEqualTo(expected);
  }
}

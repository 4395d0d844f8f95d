package io.vmsup.supervisor.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed networks with a real daemon process inside a network namespace of the test (real bridge, nftables and
 * dnsmasq; the host is never touched): made on create, dnsmasq restarted when it dies, everything re-adopted by a
 * new daemon without duplicates, all of it removed on delete with ip_forward restored; bad input is refused with its
 * path and leaves nothing behind.
 */
class NetworkIT {

  static final JsonObject LAN = new JsonObject().put("name", "lan").put("subnet", "10.10.0.0/24")
      .put("dhcp", new JsonObject()).put("nat", true);

  @TempDir
  Path state;
  private NetNs ns;
  private NsDaemon daemon;

  @BeforeEach
  void namespace() throws Exception {
    ns = NetNs.create();
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (daemon != null) {
      daemon.close();
    }
    ns.close();
  }

  private List<Long> dnsmasqs() throws Exception {
    return ns.pids().stream().filter(pid -> ProcessHandle.of(pid).flatMap(h -> h.info().command())
        .filter(c -> c.endsWith("/dnsmasq")).isPresent()).collect(Collectors.toList());
  }

  private String ruleset() throws Exception {
    return ns.exec("nft", "list", "ruleset");
  }

  private long count(String text, String part) {
    return text.lines().filter(l -> l.contains(part)).count();
  }

  @Test
  void createRestartReadoptAndDeleteLeaveTheHostAsItWas() throws Exception {
    daemon = NsDaemon.start(ns, state);
    assertThat(ns.exec("ip", "-br", "link").lines()).as("nothing is made before a network is").hasSize(1);
    JsonObject view = daemon.expect(201, "POST", "/v1/networks", LAN);
    assertThat(view.getString("bridge")).isEqualTo("vmbr-lan");
    assertThat(view.getString("gateway")).isEqualTo("10.10.0.1");
    assertThat(view.getJsonObject("dhcp").getJsonArray("range")).containsExactly("10.10.0.128", "10.10.0.254");
    assertThat(ns.exec("ip", "-br", "addr", "show", "dev", "vmbr-lan")).contains("10.10.0.1/24");
    assertThat(ruleset()).contains("table ip vmsup-lan").contains("ip saddr 10.10.0.0/24 ip daddr != 10.10.0.0/24"
        + " masquerade");
    assertThat(ns.exec("cat", "/proc/sys/net/ipv4/ip_forward").trim()).isEqualTo("1");
    assertThat(Files.readString(state.resolve("networks/ip_forward.saved")).trim()).isEqualTo("0");
    long first = view.getJsonObject("dnsmasq").getLong("pid");
    assertThat(dnsmasqs()).containsExactly(first);

    // dnsmasq dies: supervised, it comes back
    ProcessHandle victim = ProcessHandle.of(first).orElseThrow();
    victim.destroyForcibly();
    victim.onExit().get();
    JsonObject again = awaitDnsmasq(first);
    long second = again.getJsonObject("dnsmasq").getLong("pid");
    assertThat(again.getJsonObject("dnsmasq").getInteger("restarts")).isEqualTo(1);

    // a new daemon re-adopts bridge, address, rules and dnsmasq: one of each
    daemon.close();
    daemon = NsDaemon.start(ns, state);
    JsonObject adopted = daemon.expect(200, "GET", "/v1/networks/lan", null);
    assertThat(adopted.getJsonObject("dnsmasq").getLong("pid")).isEqualTo(second);
    assertThat(dnsmasqs()).containsExactly(second);
    assertThat(count(ruleset(), "masquerade")).isEqualTo(1);
    assertThat(count(ns.exec("ip", "-4", "addr", "show", "dev", "vmbr-lan"), "inet ")).isEqualTo(1);
    assertThat(daemon.expect(200, "GET", "/v1/networks", null).getJsonArray("networks")).hasSize(1);

    daemon.expect(204, "DELETE", "/v1/networks/lan", null);
    assertThat(ns.exec("ip", "-br", "link").lines()).hasSize(1);
    assertThat(ruleset()).doesNotContain("vmsup");
    assertThat(dnsmasqs()).isEmpty();
    assertThat(ns.exec("cat", "/proc/sys/net/ipv4/ip_forward").trim()).as("restored").isEqualTo("0");
    assertThat(state.resolve("networks/lan")).doesNotExist();
    assertThat(state.resolve("networks/ip_forward.saved")).doesNotExist();
    daemon.expect(404, "GET", "/v1/networks/lan", null);
    daemon.expect(404, "DELETE", "/v1/networks/lan", null);
  }

  private JsonObject awaitDnsmasq(long dead) throws Exception {
    for (int i = 0; i < 300; i++) {
      JsonObject v = daemon.expect(200, "GET", "/v1/networks/lan", null);
      JsonObject d = v.getJsonObject("dnsmasq");
      if (d.getBoolean("running") && d.getLong("pid") != null && d.getLong("pid") != dead) {
        return v;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("dnsmasq was not restarted");
  }

  @Test
  void badInputIsRefusedWithItsPathAndLeavesNothingBehind() throws Exception {
    ns.exec("ip", "link", "add", "foreign0", "type", "bridge");
    ns.exec("ip", "addr", "add", "192.168.7.1/24", "dev", "foreign0");
    daemon = NsDaemon.start(ns, state);
    daemon.expect(201, "POST", "/v1/networks", new JsonObject().put("name", "iso").put("subnet", "10.20.0.0/24"));
    String links = ns.exec("ip", "-br", "link");
    String rules = ruleset();

    assertThat(paths(daemon.expect(400, "POST", "/v1/networks", new JsonObject().put("name", "b")
        .put("subnet", "10.20.0.128/25")))).containsExactly("subnet");
    assertThat(paths(daemon.expect(400, "POST", "/v1/networks", new JsonObject().put("name", "b")
        .put("subnet", "192.168.0.0/16")))).containsExactly("subnet");
    assertThat(paths(daemon.expect(400, "POST", "/v1/networks", new JsonObject().put("name", "b")
        .put("subnet", "10.30.0.0/24").put("bridge", "foreign0")))).containsExactly("bridge");
    assertThat(paths(daemon.expect(400, "POST", "/v1/networks", new JsonObject().put("name", "b")
        .put("subnet", "10.30.0.0/24").put("gateway", "10.31.0.1")))).containsExactly("gateway");
    assertThat(paths(daemon.expect(400, "POST", "/v1/networks", new JsonObject().put("name", "B!")
        .put("subnet", "10.30.0.1/24").put("dhcp", new JsonObject().put("range", new JsonArray().add("10.30.0.9")))
        .put("nat", "yes").put("extra", 1)))).containsExactly("extra", "name", "subnet", "dhcp.range", "nat");
    assertThat(paths(daemon.expect(400, "POST", "/v1/networks", new JsonObject().put("name", "b")
        .put("subnet", "10.30.0.0/24").put("dhcp", new JsonObject().put("range", new JsonArray().add("10.30.0.9")
            .add("10.30.1.9")))))).containsExactly("dhcp.range[1]");
    assertThat(paths(daemon.expect(400, "POST", "/v1/networks", "[1]"))).isNotEmpty();
    daemon.expect(409, "POST", "/v1/networks", new JsonObject().put("name", "iso").put("subnet", "10.40.0.0/24"));

    // a NIC naming a network that does not exist: refused at create and at attach, with the NIC's path
    JsonObject vm = new JsonObject().put("name", "v").put("machine", new JsonObject().put("type", "q35"))
        .put("devices", new JsonArray().add(nic("n0", "iso")).add(nic("n1", "nowhere")).add(nic("n2", "gone")));
    JsonObject unknown = daemon.expect(400, "POST", "/v1/vms", vm);
    assertThat(paths(unknown)).containsExactly("devices[1].network", "devices[2].network");
    assertThat(unknown.toString()).contains("no network 'nowhere'");
    assertThat(daemon.call("GET", "/v1/vms/v", null).status()).isEqualTo(404);
    vm.getJsonArray("devices").remove(2);
    vm.getJsonArray("devices").remove(1);
    daemon.expect(201, "POST", "/v1/vms", vm);
    assertThat(paths(daemon.expect(400, "POST", "/v1/vms/v/devices", nic("n3", "nowhere"))))
        .containsExactly("device.network");
    assertThat(daemon.expect(200, "GET", "/v1/vms/v", null).getJsonObject("spec").getJsonArray("devices"))
        .hasSize(1);
    daemon.expect(204, "DELETE", "/v1/vms/v", null);

    assertThat(ns.exec("ip", "-br", "link")).isEqualTo(links);
    assertThat(ruleset()).isEqualTo(rules);
    try (var dirs = Files.list(state.resolve("networks"))) {
      assertThat(dirs.map(p -> p.getFileName().toString())).containsExactly("iso");
    }
    assertThat(ruleset()).as("an island: nothing forwarded out without nat").contains("iifname \"vmbr-iso\" drop");
    assertThat(state.resolve("networks/ip_forward.saved")).as("no NAT: ip_forward untouched").doesNotExist();
  }

  private static JsonObject nic(String id, String network) {
    return new JsonObject().put("kind", "nic").put("id", id).put("network", network);
  }

  static List<String> paths(JsonObject problem) {
    JsonArray v = problem.getJsonArray("violations", new JsonArray());
    return v.stream().map(o -> ((JsonObject) o).getString("path")).toList();
  }
}

package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code hostForwards} of a user NIC: rendering through the one escaper, QMP form, and hostile input. */
class HostForwardSpecTest {

  private static String spec(String forwards) {
    return "{\"name\": \"fw\", \"machine\": {\"type\": \"q35\", \"accel\": \"tcg\"}, \"devices\": ["
        + "{\"kind\": \"nic\", \"id\": \"net0\", \"backend\": \"user\", \"hostForwards\": " + forwards + "}]}";
  }

  private static List<String> problems(String json) {
    return ValidationTest.violations(json).stream().map(Violation::toString).toList();
  }

  @Test
  void rendersOneHostfwdPerForwardInSpecOrder() {
    VmSpec s = ((SpecResult.Valid) VmSpecs.parse(spec("[{\"proto\": \"udp\", \"hostPort\": 5353, \"guestPort\": 53},"
        + "{\"proto\": \"tcp\", \"hostAddress\": \"127.0.0.1\", \"hostPort\": 2222, \"guestPort\": 22}]"))).spec();
    Nic nic = (Nic) s.device("net0").orElseThrow();
    assertThat(nic.hostForwards()).containsExactly(
        new HostForward(HostForward.Proto.UDP, Optional.empty(), 5353, 53),
        new HostForward(HostForward.Proto.TCP, Optional.of("127.0.0.1"), 2222, 22));
    List<String> argv = QemuArgv.render(s, GoldenArgvTest.CONTEXT, PciLayout.empty());
    assertThat(argv).contains("user,id=net0.net,hostfwd=udp::5353-:53,hostfwd=tcp:127.0.0.1:2222-:22");
  }

  @Test
  void hotPlugPassesForwardsInQmpShape() {
    Nic nic = new Nic("n9", Nic.Backend.USER, Nic.Model.VIRTIO_NET, Optional.empty(), Optional.empty(), false, 1,
        Optional.empty(), Optional.empty(), java.util.OptionalInt.empty(), PciOptions.none(), Optional.empty(),
        List.of(new HostForward(HostForward.Proto.TCP, Optional.empty(), 8080, 80)));
    QmpStep netdev = QmpHotplug.plan(nic).steps().get(0);
    assertThat(netdev.command()).isEqualTo("netdev_add");
    // qapi/net.json NetdevUserOptions: hostfwd is ['String'], each {"str": ...}
    assertThat(netdev.arguments()).containsEntry("type", "user")
        .containsEntry("hostfwd", List.of(java.util.Map.of("str", "tcp::8080-:80")));
  }

  @Test
  void refusesHostilePortsAddressesAndProtocolsWithTheirPaths() {
    assertThat(problems(spec("[{\"proto\": \"tcp\", \"hostPort\": 0, \"guestPort\": 65536}]"))).containsExactly(
        "devices[0].hostForwards[0].hostPort: must be from 1 to 65535, not 0",
        "devices[0].hostForwards[0].guestPort: must be from 1 to 65535, not 65536");
    assertThat(problems(spec("[{\"proto\": \"sctp\", \"hostPort\": \"80\", \"guestPort\": 8.5}]"))).containsExactly(
        "devices[0].hostForwards[0].proto: must be one of \"tcp\", \"udp\", not \"sctp\"",
        "devices[0].hostForwards[0].hostPort: must be an integer from 1 to 65535, not a string",
        "devices[0].hostForwards[0].guestPort: must be a whole number, not 8.5");
    assertThat(problems(spec("[{\"hostAddress\": \"127.0.0.1,hostfwd=tcp::1-:1\", \"hostPort\": 1, \"guestPort\": 2,"
        + " \"bogus\": true}]"))).containsExactly(
        "devices[0].hostForwards[0].proto: is required: \"tcp\" or \"udp\"",
        "devices[0].hostForwards[0].hostAddress: must be an IPv4 address of the host like 127.0.0.1 (absent: every"
            + " address), not \"127.0.0.1,hostfwd=tcp::1-:1\"",
        "devices[0].hostForwards[0].bogus: unknown field; allowed: guestPort, hostAddress, hostPort, proto");
    assertThat(problems(spec("[{\"proto\": \"tcp\", \"hostAddress\": \"256.1.1.1\"}]"))).containsExactly(
        "devices[0].hostForwards[0].hostAddress: must be an IPv4 address of the host like 127.0.0.1 (absent: every"
            + " address), not \"256.1.1.1\"",
        "devices[0].hostForwards[0].hostPort: is required: a port from 1 to 65535",
        "devices[0].hostForwards[0].guestPort: is required: a port from 1 to 65535");
    assertThat(problems(spec("\"tcp::80-:80\""))).containsExactly(
        "devices[0].hostForwards: must be an array, not a string");
    assertThat(problems(spec("[\"tcp::80-:80\"]"))).containsExactly(
        "devices[0].hostForwards[0]: must be an object, not a string");
  }

  @Test
  void refusesTwoForwardsOnOneHostSocketNamingBoth() {
    String json = "{\"name\": \"fw\", \"devices\": ["
        + "{\"kind\": \"nic\", \"id\": \"a\", \"backend\": \"user\", \"hostForwards\": ["
        + "{\"proto\": \"tcp\", \"hostAddress\": \"127.0.0.1\", \"hostPort\": 8080, \"guestPort\": 80},"
        + "{\"proto\": \"udp\", \"hostPort\": 8080, \"guestPort\": 80}]},"
        + "{\"kind\": \"nic\", \"id\": \"b\", \"backend\": \"user\", \"hostForwards\": ["
        + "{\"proto\": \"tcp\", \"hostPort\": 8080, \"guestPort\": 81},"
        + "{\"proto\": \"tcp\", \"hostAddress\": \"127.0.0.2\", \"hostPort\": 8081, \"guestPort\": 81},"
        + "{\"proto\": \"tcp\", \"hostAddress\": \"127.0.0.3\", \"hostPort\": 8081, \"guestPort\": 82}]}]}";
    // udp and tcp on one port do not clash, nor two addresses on one port; every address clashes with any
    assertThat(problems(json)).containsExactly("devices[1].hostForwards[0].hostPort: host port tcp 0.0.0.0:8080 is"
        + " already forwarded by devices[0].hostForwards[0] (tcp 127.0.0.1:8080)");
  }

  @Test
  void forwardsAreOnlyForUserNics() {
    assertThat(problems("{\"name\": \"fw\", \"devices\": [{\"kind\": \"nic\", \"id\": \"n\", \"backend\": \"tap\","
        + " \"ifname\": \"tap0\", \"hostForwards\": [{\"proto\": \"tcp\", \"hostPort\": 2222, \"guestPort\": 22}]}]}"))
        .containsExactly("devices[0].hostForwards: is only for backend \"user\" (a NIC on a tap or network is"
            + " reached at its own address)");
  }
}

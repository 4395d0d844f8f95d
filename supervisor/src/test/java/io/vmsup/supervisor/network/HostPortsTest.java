package io.vmsup.supervisor.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.SpecResult;
import io.vmsup.config.VmSpec;
import io.vmsup.config.VmSpecs;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.VmState;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The host-socket checks of user NICs' forwards: clashes with other VMs, privilege, a port another process holds. */
class HostPortsTest {

  private static final String NIC = "{\"kind\": \"nic\", \"id\": \"u0\", \"backend\": \"user\", \"hostForwards\": [%s]}";

  private static JsonObject specJson(String name, String forwards) {
    return new JsonObject("{\"name\": \"" + name + "\", \"devices\": [" + NIC.formatted(forwards) + "]}");
  }

  private static VmSpec spec(String name, String forwards) {
    return ((SpecResult.Valid) VmSpecs.parse(specJson(name, forwards).encode())).spec();
  }

  private static VmHandle vm(String name, VmState state, String forwards) {
    return new VmHandle(name, state, Reason.CREATED, Instant.EPOCH, 0, 0, null, null, null, null,
        specJson(name, forwards), new JsonArray(), true, null, null, null);
  }

  private static String tcp(String address, int port) {
    return "{\"proto\": \"tcp\"" + (address == null ? "" : ", \"hostAddress\": \"" + address + "\"")
        + ", \"hostPort\": " + port + ", \"guestPort\": 22}";
  }

  @Test
  void createRefusesASocketAnyOtherSpecForwardsNamingBoth() {
    List<VmHandle> others = List.of(vm("a", VmState.STOPPED, tcp("127.0.0.1", 40022)));
    assertThatThrownBy(() -> HostPorts.checkCreate("b", spec("b", tcp(null, 40022)), others, true))
        .isInstanceOfSatisfying(VmException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
          assertThat(e.getMessage()).isEqualTo("host port tcp 0.0.0.0:40022 of devices[0].hostForwards[0] is already"
              + " forwarded by VM 'a' (devices[0].hostForwards[0]: tcp 127.0.0.1:40022)");
          assertThat(e.details().getString("path")).isEqualTo("devices[0].hostForwards[0].hostPort");
        });
    // another address, another protocol, the VM itself: no clash
    HostPorts.checkCreate("b", spec("b", tcp("127.0.0.2", 40022)), others, true);
    HostPorts.checkCreate("a", spec("a", tcp(null, 40022)), others, true);
  }

  @Test
  void privilegedPortsAreRefusedOnlyWhenQemuIsNotRoot() {
    VmSpec low = spec("p", tcp(null, 80));
    assertThatThrownBy(() -> HostPorts.checkCreate("p", low, List.of(), false))
        .isInstanceOfSatisfying(VmException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID))
        .hasMessageContaining("devices[0].hostForwards[0].hostPort: port 80 is privileged");
    HostPorts.checkCreate("p", low, List.of(), true);
    assertThat(HostPorts.checkBind(HostPorts.of("p", low), List.of(), false)).get()
        .extracting(VmException::code).isEqualTo(ErrorCode.INVALID);
  }

  @Test
  void aStartClashesOnlyWithVmsThatHaveAQemu() throws Exception {
    int port = freePort();
    List<HostPorts.Held> mine = HostPorts.of("b", spec("b", tcp("127.0.0.1", port)));
    assertThat(HostPorts.checkBind(mine, List.of(vm("a", VmState.STOPPED, tcp(null, port))), true)).isEmpty();
    Optional<VmException> refused = HostPorts.checkBind(mine, List.of(vm("a", VmState.RUNNING, tcp(null, port))),
        true);
    assertThat(refused).get().extracting(VmException::code).isEqualTo(ErrorCode.CONFLICT);
    assertThat(refused.get().getMessage()).contains("VM 'a'");
  }

  @Test
  void aPortAnotherProcessHoldsIsReportedAsSuch() throws Exception {
    try (ServerSocketChannel held = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      int port = ((InetSocketAddress) held.getLocalAddress()).getPort();
      Optional<VmException> refused = HostPorts.checkBind(HostPorts.of("b", spec("b", tcp(null, port))), List.of(),
          true);
      assertThat(refused).get().extracting(VmException::code).isEqualTo(ErrorCode.CONFLICT);
      assertThat(refused.get().getMessage()).isEqualTo("host port tcp 0.0.0.0:" + port + " of"
          + " devices[0].hostForwards[0] is in use by another process (not a VM of this daemon); QEMU could not"
          + " forward it");
      int udpPort = ((InetSocketAddress) udp.getLocalAddress()).getPort();
      assertThat(HostPorts.checkBind(HostPorts.of("b", spec("b", "{\"proto\": \"udp\", \"hostAddress\":"
          + " \"127.0.0.1\", \"hostPort\": " + udpPort + ", \"guestPort\": 53}")), List.of(), true)).isPresent();
    }
    // an address that is not the host's
    Optional<VmException> foreign = HostPorts.checkBind(HostPorts.of("b", spec("b", tcp("192.0.2.77", 40023))),
        List.of(), true);
    assertThat(foreign).get().extracting(VmException::code).isEqualTo(ErrorCode.INVALID);
    assertThat(foreign.get().getMessage()).contains("192.0.2.77").contains("not an address of this host");
  }

  private static int freePort() throws Exception {
    try (ServerSocketChannel s = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      return ((InetSocketAddress) s.getLocalAddress()).getPort();
    }
  }
}

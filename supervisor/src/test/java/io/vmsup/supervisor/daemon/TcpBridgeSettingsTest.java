package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.bridge.TcpBridgeSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TCP bridge is off unless its port is set; flags, environment and bad values as for every setting. */
class TcpBridgeSettingsTest {

  @Test
  void offByDefaultOnWithAPort() {
    assertThat(ConfigLoader.load(List.of(), Map.of(), false).config().tcpBridge().enabled()).isFalse();
    TcpBridgeSettings on = ConfigLoader.load(List.of("--tcp-bridge-port", "7481", "--tcp-bridge-max-connections",
        "5"), Map.of("VMSUP_TCP_BRIDGE_HOST", "::1"), false).config().tcpBridge();
    assertThat(on).extracting(TcpBridgeSettings::port, TcpBridgeSettings::host, TcpBridgeSettings::maxConnections,
        TcpBridgeSettings::maxFrameBytes).containsExactly(7481, "::1", 5, TcpBridgeSettings.DEFAULT_MAX_FRAME_BYTES);
    assertThat(ConfigLoader.load(List.of("--tcp-bridge-port=OFF"), Map.of(), false).config().tcpBridge().enabled())
        .isFalse();
  }

  @Test
  void badValuesAreReportedTogether() {
    ConfigLoader.Result r = ConfigLoader.load(List.of("--tcp-bridge-port", "70000", "--tcp-bridge-max-frame-bytes",
        "10", "--tcp-bridge-host", " "), Map.of("VMSUP_TCP_BRIDGE_MAX_CONNECTIONS", "none"), false);
    assertThat(r.config()).isNull();
    assertThat(r.errors()).anyMatch(e -> e.startsWith("tcpBridgePort:"))
        .anyMatch(e -> e.startsWith("tcpBridgeMaxFrameBytes:")).anyMatch(e -> e.startsWith("tcpBridgeHost:"))
        .anyMatch(e -> e.startsWith("tcpBridgeMaxConnections:"));
  }
}

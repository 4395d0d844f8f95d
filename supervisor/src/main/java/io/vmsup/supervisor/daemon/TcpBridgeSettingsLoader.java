package io.vmsup.supervisor.daemon;

import io.vmsup.supervisor.bridge.TcpBridgeSettings;
import java.util.List;
import java.util.Map;

/** The TCP bridge's settings from their text values; problems are added to the loader's list. */
final class TcpBridgeSettingsLoader {

  private TcpBridgeSettingsLoader() {
  }

  static TcpBridgeSettings load(Map<Setting, String> v, List<String> errors) {
    String portText = v.get(Setting.TCP_BRIDGE_PORT).trim();
    Integer port = portText.equalsIgnoreCase("off") ? null
        : ConfigLoader.integer(Setting.TCP_BRIDGE_PORT, v, 0, 65535, errors);
    String host = v.get(Setting.TCP_BRIDGE_HOST).trim();
    if (host.isEmpty()) {
      errors.add(Setting.TCP_BRIDGE_HOST.key() + ": must not be empty");
    }
    int frame = ConfigLoader.integer(Setting.TCP_BRIDGE_MAX_FRAME_BYTES, v, 1024, 256 * 1024 * 1024, errors);
    int connections = ConfigLoader.integer(Setting.TCP_BRIDGE_MAX_CONNECTIONS, v, 1, 1_000_000, errors);
    if (host.isEmpty()) {
      return TcpBridgeSettings.off();
    }
    return new TcpBridgeSettings(port, host, frame, connections, TcpBridgeSettings.DEFAULT_FIRST_FRAME);
  }
}

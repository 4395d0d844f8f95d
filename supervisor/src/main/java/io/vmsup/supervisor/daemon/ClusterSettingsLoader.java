package io.vmsup.supervisor.daemon;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.cluster.ClusterSettings;
import io.vmsup.supervisor.cluster.HostIds;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Resolves {@link ClusterSettings} from the cluster {@link Setting}s, collecting every problem. */
final class ClusterSettingsLoader {

  private static final List<Setting> CLUSTER_ONLY = List.of(Setting.HOST_ID, Setting.CLUSTER_NAME,
      Setting.CLUSTER_MEMBERS, Setting.CLUSTER_HOST, Setting.CLUSTER_PUBLIC_HOST, Setting.CLUSTER_PORT,
      Setting.CLUSTER_BUS_PORT, Setting.CLUSTER_TLS_DIR, Setting.CLUSTER_FAILURE_SECONDS, Setting.HOST_LABELS);
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");

  private ClusterSettingsLoader() {
  }

  static ClusterSettings load(Map<Setting, String> v, List<String> errors) {
    String enabled = v.get(Setting.CLUSTER).trim().toLowerCase();
    if (!enabled.equals("true") && !enabled.equals("false")) {
      errors.add(Setting.CLUSTER.key() + ": must be true or false, not '" + enabled + "'");
      return ClusterSettings.disabled();
    }
    if (enabled.equals("false")) {
      for (Setting s : CLUSTER_ONLY) {
        if (!v.get(s).equals(s.defaultValue())) {
          errors.add(s.key() + ": a cluster setting, but the daemon does not join a cluster (add " + Setting.CLUSTER
              .flag() + ")");
        }
      }
      return ClusterSettings.disabled();
    }
    String hostId = v.get(Setting.HOST_ID).isBlank() ? hostname() : v.get(Setting.HOST_ID).trim();
    if (!HostIds.valid(hostId)) {
      errors.add(Setting.HOST_ID.key() + ": '" + hostId + "' " + HostIds.RULE
          + (v.get(Setting.HOST_ID).isBlank() ? " (it came from the hostname: set " + Setting.HOST_ID.flag() + ")"
          : ""));
    }
    String name = v.get(Setting.CLUSTER_NAME).trim();
    if (!LABEL.matcher(name).matches()) {
      errors.add(Setting.CLUSTER_NAME.key() + ": '" + name + "' must be 1-63 letters, digits, '.', '_', '/', '-'");
    }
    List<String> members = new ArrayList<>();
    for (String m : v.get(Setting.CLUSTER_MEMBERS).split(",")) {
      if (m.isBlank()) {
        continue;
      }
      if (!MEMBER.matcher(m.trim()).matches()) {
        errors.add(Setting.CLUSTER_MEMBERS.key() + ": '" + m.trim() + "' must be HOST:PORT");
      } else {
        members.add(m.trim());
      }
    }
    String host = v.get(Setting.CLUSTER_HOST).trim();
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
      errors.add(Setting.CLUSTER_HOST.key() + ": must name one address (a private one), not '" + host + "'");
    }
    int port = port(Setting.CLUSTER_PORT, v, errors);
    int busPort = port(Setting.CLUSTER_BUS_PORT, v, errors);
    if (port == busPort && port != 0) {
      errors.add(Setting.CLUSTER_BUS_PORT.key() + ": must differ from " + Setting.CLUSTER_PORT.key());
    }
    Path tls = tlsDir(v.get(Setting.CLUSTER_TLS_DIR).trim(), errors);
    int failure = ConfigLoader.integer(Setting.CLUSTER_FAILURE_SECONDS, v, 2, 300, errors);
    Map<String, String> labels = labels(v.get(Setting.HOST_LABELS), errors);
    return new ClusterSettings(true, hostId, name, members, host, v.get(Setting.CLUSTER_PUBLIC_HOST).trim(), port,
        busPort, tls, Duration.ofSeconds(failure), labels);
  }

  private static Path tlsDir(String text, List<String> errors) {
    if (text.isEmpty()) {
      errors.add(Setting.CLUSTER_TLS_DIR.key() + ": required with " + Setting.CLUSTER.flag()
          + ": the event bus only speaks mutual TLS (make the files with 'vmsup cluster init')");
      return null;
    }
    return Path.of(text).toAbsolutePath().normalize();
  }

  /** KEY=VALUE,... (flag, environment) or a JSON object of strings (config file). */
  static Map<String, String> labels(String text, List<String> errors) {
    Map<String, String> out = new LinkedHashMap<>();
    String key = Setting.HOST_LABELS.key();
    if (text.trim().startsWith("{")) {
      try {
        JsonObject json = new JsonObject(text);
        json.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
      } catch (DecodeException e) {
        errors.add(key + ": not a JSON object: " + e.getMessage());
      }
    } else {
      for (String pair : text.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq < 1) {
          errors.add(key + ": '" + pair.trim() + "' must be KEY=VALUE");
          continue;
        }
        out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    out.forEach((k, val) -> {
      if (!LABEL.matcher(k).matches() || !LABEL.matcher(val).matches()) {
        errors.add(key + ": '" + k + "=" + val + "': keys and values are 1-63 letters, digits, '.', '_', '/', '-'");
      }
    });
    return out;
  }

  private static int port(Setting s, Map<Setting, String> v, List<String> errors) {
    return ConfigLoader.integer(s, v, 1, 65535, errors);
  }

  /** The short hostname, lower case. */
  private static String hostname() {
    try {
      String name = InetAddress.getLocalHost().getHostName().toLowerCase();
      return name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    } catch (UnknownHostException e) {
      return "";
    }
  }
}

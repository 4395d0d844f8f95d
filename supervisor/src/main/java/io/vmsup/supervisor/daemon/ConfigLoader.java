package io.vmsup.supervisor.daemon;

import io.vmsup.supervisor.bridge.TcpBridgeSettings;
import io.vmsup.supervisor.fence.FenceSettings;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vmsup.supervisor.launch.UidRange;
import io.vmsup.supervisor.policy.PassthroughMode;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.JsonSyntaxException;
import io.vmsup.config.StrictJson;
import io.vmsup.supervisor.cluster.ClusterSettings;
import io.vmsup.supervisor.http.EdgeLimits;
import java.io.IOException;
import java.nio.file.Files;
import io.vmsup.supervisor.launch.LogLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@link DaemonConfig} from defaults, a JSON config file ({@code --config PATH} or {@code VMSUP_CONFIG}),
 * environment variables and flags, in that order of precedence (later wins). Collects every problem instead of
 * stopping at the first. Runs before Vert.x exists, so reading the file blocks on purpose.
 */
public final class ConfigLoader {

  /** The flag and variable naming the config file. */
  public static final String CONFIG_FLAG = "--config";
  public static final String CONFIG_ENV = "VMSUP_CONFIG";

  /** The outcome: a config, or the problems found; {@code rest} holds arguments that are not settings. */
  public record Result(DaemonConfig config, List<String> errors, List<String> rest) {
  }

  private ConfigLoader() {
  }

  /**
   * @param args command-line arguments ({@code --flag value}, {@code --flag=value}, bare boolean flags)
   * @param env the environment
   * @param allowRest whether arguments that are no setting are returned in {@code rest} instead of being errors
   */
  public static Result load(List<String> args, Map<String, String> env, boolean allowRest) {
    List<String> errors = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      values.put(s, s.defaultValue());
    }
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    String configPath = env.get(CONFIG_ENV);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
      Setting setting = byFlag(name);
      if (name.equals(CONFIG_FLAG) || setting != null) {
        String value = inline;
        if (value == null && setting != null && setting.isBoolean()
            && (i + 1 >= args.size() || !isBooleanText(args.get(i + 1)))) {
          value = "true";
        }
        if (value == null) {
          if (i + 1 >= args.size()) {
            errors.add(name + ": needs a value");
            continue;
          }
          value = args.get(++i);
        }
        if (setting == null) {
          configPath = value;
        } else {
          flags.put(setting, value);
        }
      } else if (allowRest) {
        rest.add(arg);
      } else {
        errors.add(arg + ": unknown argument (see --help)");
      }
    }
    if (configPath != null) {
      readFile(Path.of(configPath), values, errors);
    }
    for (Setting s : Setting.values()) {
      String fromEnv = env.get(s.env());
      if (fromEnv != null) {
        values.put(s, fromEnv);
      }
    }
    values.putAll(flags);
    DaemonConfig config = errors.isEmpty() ? build(values, errors) : null;
    return new Result(errors.isEmpty() ? config : null, errors, rest);
  }

  private static void readFile(Path path, Map<Setting, String> values, List<String> errors) {
    JsonObject json;
    try {
      json = new JsonObject(StrictJson.parseObject(Files.readString(path)));
    } catch (IOException e) {
      errors.add(path + ": cannot read config file: " + e.getMessage());
      return;
    } catch (JsonSyntaxException e) {
      errors.add(path + ": " + e.getMessage());
      return;
    }
    for (String key : json.fieldNames()) {
      Setting setting = byKey(key);
      Object value = json.getValue(key);
      if (setting == null) {
        errors.add(path + ": " + key + ": unknown setting");
      } else if (value != null) {
        values.put(setting, value instanceof JsonArray a ? a.encode() : String.valueOf(value));
      }
    }
  }

  private static DaemonConfig build(Map<Setting, String> v, List<String> errors) {
    int port = integer(Setting.HTTP_PORT, v, 0, 65535, errors);
    int interval = integer(Setting.METRICS_INTERVAL, v, 1, 3600, errors);
    int maxBody = integer(Setting.MAX_BODY_BYTES, v, 1024, 256 * 1024 * 1024, errors);
    String stop = v.get(Setting.STOP_VMS_ON_SHUTDOWN).trim().toLowerCase();
    if (!isBooleanText(stop)) {
      errors.add(Setting.STOP_VMS_ON_SHUTDOWN.key() + ": must be true or false, not '" + stop + "'");
    }
    String cert = v.get(Setting.TLS_CERT).trim();
    String key = v.get(Setting.TLS_KEY).trim();
    if (cert.isEmpty() != key.isEmpty()) {
      errors.add("tlsCert and tlsKey: give both or neither");
    }
    for (Setting s : List.of(Setting.HTTP_HOST, Setting.STATE_DIR, Setting.QEMU)) {
      if (v.get(s).isBlank()) {
        errors.add(s.key() + ": must not be empty");
      }
    }
    List<Path> allowed = allowedPaths(v.get(Setting.ALLOWED_PATHS), errors);
    int logMax = integer(Setting.LOG_MAX_BYTES, v, 4096, Integer.MAX_VALUE, errors);
    int logKeep = integer(Setting.LOG_KEEP, v, 1, 100, errors);
    int logCheck = integer(Setting.LOG_CHECK_SECONDS, v, 1, 3600, errors);
    PassthroughMode passthrough = PassthroughMode.parse(v.get(Setting.QMP_PASSTHROUGH));
    if (passthrough == null) {
      errors.add(Setting.QMP_PASSTHROUGH.key() + ": must be restricted or unrestricted, not '"
          + v.get(Setting.QMP_PASSTHROUGH) + "'");
    }
    EdgeLimits limits = limits(v, errors);
    UidRange uids = null;
    try {
      uids = UidRange.parse(v.get(Setting.QEMU_UIDS));
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
    }
    io.vmsup.supervisor.cgroup.CgroupMode cgroups = io.vmsup.supervisor.cgroup.CgroupMode.parse(v.get(Setting.CGROUPS));
    if (cgroups == null) {
      errors.add(Setting.CGROUPS.key() + ": must be auto, v1, v2 or off, not '" + v.get(Setting.CGROUPS) + "'");
    }
    TcpBridgeSettings tcpBridge = TcpBridgeSettingsLoader.load(v, errors);
    FenceSettings fence = fenceSettings(v, errors);
    ClusterSettings cluster = ClusterSettingsLoader.load(v, errors);
    io.vmsup.supervisor.api.StartSettings starts = null;
    try {
      starts = io.vmsup.supervisor.api.StartSettings.parse(v.get(Setting.MAX_CONCURRENT_STARTS));
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
    }
    PoolSettings pools = PoolSettings.load(v, errors);
    int commandTimeout = integer(Setting.COMMAND_TIMEOUT_SECONDS, v, 1, 3600, errors);
    if (!errors.isEmpty()) {
      return null;
    }
    return new DaemonConfig(v.get(Setting.HTTP_HOST).trim(), port, Path.of(v.get(Setting.STATE_DIR)),
        v.get(Setting.QEMU), stop.equals("true"), cert.isEmpty() ? null : Path.of(cert),
        key.isEmpty() ? null : Path.of(key), Duration.ofSeconds(interval), maxBody, allowed, passthrough)
        .toBuilder().limits(limits).logLimits(new LogLimits(logMax, logKeep, Duration.ofSeconds(logCheck)))
        .qemuUids(uids).cgroups(cgroups).tcpBridge(tcpBridge).fence(fence).cluster(cluster).starts(starts)
        .pools(pools).commandTimeout(Duration.ofSeconds(commandTimeout)).build();
  }

  /** A JSON array of strings (config file) or a ':'-separated list (flag, environment); every entry absolute. */
  static List<Path> allowedPaths(String text, List<String> errors) {
    List<String> entries = new ArrayList<>();
    String key = Setting.ALLOWED_PATHS.key();
    if (text.trim().startsWith("[")) {
      try {
        for (Object o : new JsonArray(text)) {
          if (!(o instanceof String str)) {
            errors.add(key + ": every entry must be a string, not " + o);
            return List.of();
          }
          entries.add(str);
        }
      } catch (DecodeException e) {
        errors.add(key + ": not a JSON array of strings: " + e.getMessage());
        return List.of();
      }
    } else {
      entries.addAll(List.of(text.split(":")));
    }
    List<Path> out = new ArrayList<>();
    for (String entry : entries) {
      if (entry.isBlank()) {
        continue;
      }
      if (!entry.startsWith("/") || List.of(entry.split("/")).contains("..")) {
        errors.add(key + ": '" + entry + "' must be an absolute path without '..'");
      } else {
        out.add(Path.of(entry).normalize());
      }
    }
    return out;
  }

  private static EdgeLimits limits(Map<Setting, String> v, List<String> errors) {
    int big = 1_000_000;
    return new EdgeLimits(
        Duration.ofSeconds(integer(Setting.HEADER_TIMEOUT, v, 1, 3600, errors)),
        Duration.ofSeconds(integer(Setting.IDLE_TIMEOUT, v, 1, 86_400, errors)),
        integer(Setting.MAX_UNAUTHENTICATED_CONNECTIONS, v, 1, big, errors),
        integer(Setting.MAX_UNAUTHENTICATED_PER_ADDRESS, v, 1, big, errors),
        integer(Setting.MAX_AUTHENTICATED_CONNECTIONS, v, 1, big, errors),
        integer(Setting.MUTATING_RATE, v, 1, big, errors),
        integer(Setting.MUTATING_BURST, v, 1, big, errors),
        integer(Setting.BRIDGE_BUFFER_BYTES, v, 4096, 1 << 30, errors));
  }

  private static FenceSettings fenceSettings(Map<Setting, String> v, List<String> errors) {
    String on = v.get(Setting.FENCE).trim().toLowerCase();
    if (!on.equals("on") && !on.equals("off")) {
      errors.add(Setting.FENCE.key() + ": must be on or off, not '" + v.get(Setting.FENCE) + "'");
    }
    int after = integer(Setting.FENCE_AFTER, v, 1, 3600, errors);
    return new FenceSettings(on.equals("on"), Duration.ofSeconds(after));
  }

  static int integer(Setting s, Map<Setting, String> v, int min, int max, List<String> errors) {
    try {
      int n = Integer.parseInt(v.get(s).trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(s.key() + ": must be a whole number from " + min + " to " + max + ", not '" + v.get(s) + "'");
    return min;
  }

  private static boolean isBooleanText(String s) {
    return s.equals("true") || s.equals("false");
  }

  private static Setting byFlag(String flag) {
    for (Setting s : Setting.values()) {
      if (s.flag().equals(flag)) {
        return s;
      }
    }
    return null;
  }

  private static Setting byKey(String key) {
    for (Setting s : Setting.values()) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    return null;
  }

  /** The {@code run --help} text: every setting with its flag, variable, config key and default. */
  public static String help() {
    StringBuilder b = new StringBuilder();
    b.append("usage: vmsup run [--config FILE] [SETTINGS]\n\n")
        .append("Starts the vmsup daemon. Precedence: default < config file (JSON) < environment < flag.\n")
        .append("  --config FILE   (env ").append(CONFIG_ENV).append(") JSON object with the keys below\n\n")
        .append("settings:\n");
    for (Setting s : Setting.values()) {
      b.append(String.format("  %-24s env %-28s key %-24s default: %s%n", s.flag() + (s.isBoolean() ? "" : " V"),
          s.env(), s.key(), s.defaultValue().isEmpty() ? "(none)" : s.defaultValue()));
      b.append("      ").append(s.description()).append('\n');
    }
    b.append("\nThe API token is created on first start in <stateDir>/token (mode 0600).\n")
        .append("SIGTERM stops the daemon; VMs keep running unless stopVmsOnShutdown is true.\n");
    return b.toString();
  }
}

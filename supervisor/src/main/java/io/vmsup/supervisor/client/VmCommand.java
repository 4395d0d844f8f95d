package io.vmsup.supervisor.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.daemon.ConfigLoader;
import io.vmsup.supervisor.daemon.DaemonConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code vmsup vm ...}: the command-line client of a running daemon. Finds the daemon like this: {@code --url} or
 * {@code VMSUP_URL}, else {@code <stateDir>/endpoint.json} (written by the daemon at start), else the configured
 * host and port; the token from {@code --token} or {@code VMSUP_TOKEN}, else {@code <stateDir>/token}. The state
 * directory and config come from the same flags, variables and config file as {@code vmsup run}.
 */
public final class VmCommand {

  private static final Set<String> ACTIONS = Set.of("start", "stop", "kill", "pause", "resume", "reset");

  private VmCommand() {
  }

  public static String usage() {
    return String.join("\n",
        "usage: vmsup vm COMMAND [ARGS] [--url URL] [--token TOKEN] [--state-dir DIR] [--config FILE]",
        "  list                      all VMs",
        "  get NAME                  one VM",
        "  create FILE|-             create a VM from a spec (JSON)",
        "  start|kill|pause|resume|reset NAME",
        "  stop NAME [--grace SECONDS]",
        "  delete NAME               forget a VM that is not running",
        "  log NAME [--lines N]      tails of the QEMU and serial logs",
        "  qmp NAME COMMAND [ARGUMENTS-JSON]",
        "  events [NAME]             follow events (Server-Sent Events) until interrupted",
        "Prints JSON; on an error prints the problem detail to stderr and exits 1 (2 for usage errors).",
        "");
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>();
    String url = env.get("VMSUP_URL");
    String token = env.get("VMSUP_TOKEN");
    String grace = null;
    String lines = null;
    List<String> settings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean hasValue = i + 1 < args.length;
      switch (a) {
        case "--url" -> url = hasValue ? args[++i] : null;
        case "--token" -> token = hasValue ? args[++i] : null;
        case "--grace" -> grace = hasValue ? args[++i] : null;
        case "--lines" -> lines = hasValue ? args[++i] : null;
        case "--help", "-h" -> {
          out.print(usage());
          return 0;
        }
        default -> {
          if (a.startsWith("--")) {
            settings.add(a);
            if (!a.contains("=") && hasValue) {
              settings.add(args[++i]);
            }
          } else {
            rest.add(a);
          }
        }
      }
    }
    ConfigLoader.Result config = ConfigLoader.load(settings, env, false);
    if (!config.errors().isEmpty()) {
      config.errors().forEach(e -> err.println("vmsup vm: " + e));
      return 2;
    }
    if (rest.isEmpty()) {
      err.print(usage());
      return 2;
    }
    try {
      Target target = Target.resolve(config.config(), url, token);
      return new Invocation(new ApiClient(target.url(), target.token()), out, err).run(rest, grace, lines);
    } catch (IOException e) {
      err.println("vmsup vm: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** Where the daemon is and how to authenticate. */
  record Target(String url, String token) {

    static Target resolve(DaemonConfig config, String url, String token) throws IOException {
      if (url == null) {
        Path endpoint = config.endpointFile();
        if (Files.exists(endpoint)) {
          try {
            url = new JsonObject(Files.readString(endpoint)).getString("url");
          } catch (DecodeException e) {
            url = null;
          }
        }
        if (url == null) {
          url = config.localUrl(config.httpPort());
        }
      }
      if (token == null) {
        Path file = config.tokenFile();
        if (!Files.exists(file)) {
          throw new IOException("no token: " + file + " does not exist (is the daemon's state directory "
              + config.stateDir() + "? use --state-dir, --token or VMSUP_TOKEN)");
        }
        token = Files.readString(file).trim();
      }
      return new Target(url, token);
    }
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String arg(List<String> rest, int i) {
    return i < rest.size() ? rest.get(i) : null;
  }

  static boolean isAction(String command) {
    return ACTIONS.contains(command);
  }

}

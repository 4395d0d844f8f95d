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
        "  console NAME [--lines N]  the serial console: the last N lines (default 100), then live lines",
        "                            until interrupted",
        "  send NAME TEXT [--raw]    write TEXT and a newline (none with --raw) to the serial console",
        "  attach NAME DEVICE.json|- hot-plug a device (spec format, or {\"kind\":\"cpu\"})",
        "  detach NAME ID [--timeout SECONDS]",
        "                            unplug a device; waits up to SECONDS (default 30) for the guest",
        "  help                      this text",
        "Prints JSON (console: the raw lines); on an error prints the problem to stderr and exits 1 (2 for usage",
        "errors).",
        "");
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>();
    String url = env.get("VMSUP_URL");
    String token = env.get("VMSUP_TOKEN");
    VmFlags flags = VmFlags.none();
    List<String> settings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean hasValue = i + 1 < args.length;
      switch (a) {
        case "--url" -> url = hasValue ? args[++i] : null;
        case "--token" -> token = hasValue ? args[++i] : null;
        case "--grace" -> flags = flags.withGrace(hasValue ? args[++i] : null);
        case "--lines" -> flags = flags.withLines(hasValue ? args[++i] : null);
        case "--timeout" -> flags = flags.withTimeout(hasValue ? args[++i] : null);
        case "--raw" -> flags = flags.withRaw();
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
    if (rest.isEmpty() || rest.get(0).equals("help")) {
      out.print(usage());
      return 0;
    }
    ConfigLoader.Result config = ConfigLoader.load(settings, env, false);
    if (!config.errors().isEmpty()) {
      config.errors().forEach(e -> err.println("vmsup vm: " + e));
      return 2;
    }
    String reached = url;
    try {
      Target target = Target.resolve(config.config(), url, token);
      reached = target.url();
      return new Invocation(new ApiClient(target.url(), target.token()), out, err).run(rest, flags);
    } catch (java.net.ConnectException e) {
      // the JDK client's ConnectException has no message
      err.println("vmsup vm: cannot connect to the daemon at " + reached + " (is 'vmsup run' running?)");
      return 1;
    } catch (IOException e) {
      err.println("vmsup vm: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
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

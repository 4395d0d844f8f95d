package io.vmsup.supervisor.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.daemon.ConfigLoader;
import io.vmsup.supervisor.daemon.DaemonConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * What every client command tree ({@code vmsup vm}, {@code vmsup network}) shares: the options that find and
 * authenticate the daemon, and the session they open. Deliberately not a picocli {@code @Command}: picocli would merge
 * its sub-commands into every subclass.
 */
abstract class ClientRoot implements Callable<Integer> {

  final Map<String, String> env;
  final InputStream in;
  final PrintStream out;
  final PrintStream err;

  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "the daemon's address (default: VMSUP_URL, then <state-dir>/endpoint.json)")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
      description = "the API token (default: VMSUP_TOKEN, then <state-dir>/token)")
  String token;

  @Option(names = "--state-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "the daemon's state directory (default: as for 'vmsup run')")
  String stateDir;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "the daemon's config file (JSON)")
  String config;

  @Option(names = "--http-host", paramLabel = "HOST", scope = ScopeType.INHERIT, hidden = true)
  String httpHost;

  @Option(names = "--http-port", paramLabel = "PORT", scope = ScopeType.INHERIT, hidden = true)
  String httpPort;

  ClientRoot(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    this.env = env;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(out);
    return 0;
  }

  /** A session with the daemon these options name; a usage error when the settings are wrong. */
  Session connect(CommandSpec command) throws IOException {
    List<String> settings = new ArrayList<>();
    add(settings, "--state-dir", stateDir);
    add(settings, ConfigLoader.CONFIG_FLAG, config);
    add(settings, "--http-host", httpHost);
    add(settings, "--http-port", httpPort);
    ConfigLoader.Result loaded = ConfigLoader.load(settings, env, false);
    if (!loaded.errors().isEmpty()) {
      throw new CommandLine.ParameterException(command.commandLine(), String.join("; ", loaded.errors()));
    }
    String target = url != null ? url : env.get("VMSUP_URL");
    String secret = token != null ? token : env.get("VMSUP_TOKEN");
    DaemonConfig daemon = loaded.config();
    String resolved = target != null ? target : endpoint(daemon);
    return new Session(new ApiClient(resolved, secret != null ? secret : tokenOf(daemon)), resolved, in, out, err,
        command.qualifiedName(" "));
  }

  private static void add(List<String> settings, String flag, String value) {
    if (value != null) {
      settings.add(flag);
      settings.add(value);
    }
  }

  private static String endpoint(DaemonConfig config) throws IOException {
    Path endpoint = config.endpointFile();
    if (Files.exists(endpoint)) {
      try {
        String url = new JsonObject(Files.readString(endpoint)).getString("url");
        if (url != null) {
          return url;
        }
      } catch (DecodeException | ClassCastException e) {
        // a damaged endpoint file: fall back to the configured address
      }
    }
    return config.localUrl(config.httpPort());
  }

  private static String tokenOf(DaemonConfig config) throws IOException {
    Path file = config.tokenFile();
    if (!Files.exists(file)) {
      throw new IOException("no token: " + file + " does not exist (is the daemon's state directory "
          + config.stateDir() + "? use --state-dir, --token or VMSUP_TOKEN)");
    }
    return Files.readString(file).trim();
  }
}

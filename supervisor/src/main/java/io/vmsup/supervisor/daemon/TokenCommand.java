package io.vmsup.supervisor.daemon;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.http.AccessToken;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.http.Tokens;
import io.vmsup.supervisor.store.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vmsup token rotate [--scope admin|read] [--state-dir DIR | --config FILE]}: writes a fresh random token to
 * the scope's file (atomically, mode 0600) and prints it on stdout. A running daemon re-reads its token files every
 * second and takes the new one without a restart; when {@code endpoint.json} names one, this command waits (up to
 * 10 s) until it accepts the new token and says so. The old token stops working at that moment.
 */
public final class TokenCommand {

  private TokenCommand() {
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(List.of(args));
    if (rest.contains("--help") || rest.contains("-h")) {
      out.print(help());
      return 0;
    }
    if (rest.isEmpty() || !rest.get(0).equals("rotate")) {
      err.print(help());
      return 2;
    }
    rest.remove(0);
    Scope scope = Scope.ADMIN;
    int at = rest.indexOf("--scope");
    if (at >= 0) {
      scope = at + 1 < rest.size() ? Scope.parse(rest.get(at + 1)) : null;
      if (scope == null) {
        err.println("vmsup token rotate: --scope must be admin or read");
        return 2;
      }
      rest.subList(at, at + 2).clear();
    }
    ConfigLoader.Result config = ConfigLoader.load(rest, env, false);
    if (!config.errors().isEmpty()) {
      config.errors().forEach(e -> err.println("vmsup token rotate: " + e));
      return 2;
    }
    return rotate(config.config(), scope, out, err);
  }

  private static int rotate(DaemonConfig config, Scope scope, PrintStream out, PrintStream err) {
    Path file = config.stateDir().resolve(scope == Scope.ADMIN ? AccessToken.FILE_NAME : Tokens.READ_FILE_NAME);
    AccessToken token = AccessToken.random();
    try {
      Files.createDirectories(config.stateDir());
      AtomicFiles.write(file, (token.value() + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      err.println("vmsup token rotate: cannot write " + file + ": " + e.getMessage());
      return 1;
    }
    out.println(token.value());
    err.println("the " + scope.json() + " token in " + file + " was replaced");
    confirm(config, token, err);
    return 0;
  }

  /** Waits until the running daemon (if any) accepts the new token. */
  private static void confirm(DaemonConfig config, AccessToken token, PrintStream err) {
    Path endpoint = config.endpointFile();
    if (!Files.isRegularFile(endpoint)) {
      err.println("no running daemon found (" + endpoint + "): the token is in force at its next start");
      return;
    }
    try {
      String url = new JsonObject(Files.readString(endpoint)).getString("url");
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest probe = HttpRequest.newBuilder(URI.create(url + "/v1/vms")).timeout(Duration.ofSeconds(2))
          .header("Authorization", "Bearer " + token.value()).GET().build();
      for (int i = 0; i < 50; i++) {
        if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          err.println("the daemon at " + url + " accepts the new token; the old one is refused");
          return;
        }
        Thread.sleep(200);
      }
      err.println("the daemon at " + url + " did not take the new token within 10 s; is it running?");
    } catch (IOException | RuntimeException e) {
      err.println("could not confirm with the daemon: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String help() {
    return String.join("\n",
        "usage: vmsup token rotate [--scope admin|read] [--state-dir DIR | --config FILE]",
        "",
        "Replaces a bearer token without restarting the daemon: a fresh random token is written to",
        "<stateDir>/token (admin, the default) or <stateDir>/token.read (read-only: get, list, events, metrics,",
        "console read) with mode 0600 and printed on stdout. The daemon takes it within a second; the old token",
        "is refused from then on.",
        "");
  }
}

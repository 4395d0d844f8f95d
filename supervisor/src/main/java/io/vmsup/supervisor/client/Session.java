package io.vmsup.supervisor.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** One {@code vmsup vm} command's conversation with the daemon, and how its replies are printed. */
final class Session {

  private final ApiClient client;
  private final String url;
  private final InputStream in;
  final PrintStream out;
  final PrintStream err;
  private final String command;

  Session(ApiClient client, String url, InputStream in, PrintStream out, PrintStream err, String command) {
    this.client = client;
    this.url = url;
    this.in = in;
    this.out = out;
    this.err = err;
    this.command = command;
  }

  ApiClient client() {
    return client;
  }

  /** A request; an unreachable daemon is an IOException that names the URL. */
  ApiClient.Response send(String method, String path, String body) throws IOException {
    return send(method, path, body, java.util.Map.of());
  }

  /** As {@link #send(String, String, String)}, with further headers. */
  ApiClient.Response send(String method, String path, String body, java.util.Map<String, String> headers)
      throws IOException {
    try {
      return client.send(method, path, body, headers);
    } catch (ConnectException | SocketTimeoutException e) {
      throw unreachable();
    }
  }

  IOException unreachable() {
    return new IOException("cannot connect to the daemon at " + url + " (is 'vmsup run' running?)");
  }

  /**
   * A long operation: its progress from the VM's events on stderr while the request runs (unless {@code quiet}),
   * then the reply as {@link #print} does, and the final state.
   */
  int longOperation(String vm, String method, String path, String body, boolean quiet) throws IOException {
    if (quiet) {
      return print(send(method, path, body));
    }
    Progress progress;
    try {
      progress = Progress.follow(client, vm, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    try (progress) {
      ApiClient.Response response = send(method, path, body);
      if (response.ok() && Json.decodeValue(response.body()) instanceof JsonObject view) {
        progress.finished(view);
      }
      return print(response);
    } catch (DecodeException e) {
      return 1;
    }
  }

  static String vmPath(String name) {
    return "/v1/vms/" + encode(name);
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Prints a reply: the JSON on stdout when it succeeded (exit 0), the problem on stderr (exit 1). */
  int print(ApiClient.Response response) {
    if (!response.ok()) {
      return problem(response);
    }
    if (!response.body().isEmpty()) {
      out.println(pretty(response.body()));
    }
    return 0;
  }

  /** Prints a VM list or view in the chosen format. */
  int printVms(ApiClient.Response response, OutputFormat format, boolean one) {
    if (!response.ok()) {
      return problem(response);
    }
    switch (format) {
      case JSON -> out.println(pretty(response.body()));
      case YAML -> out.print(YamlWriter.write(Json.decodeValue(response.body())));
      default -> {
        JsonObject body = new JsonObject(response.body());
        List<JsonObject> vms = one ? List.of(body) : body.getJsonArray("vms", new JsonArray()).stream()
            .map(JsonObject.class::cast).toList();
        out.print(VmTable.render(vms, client.host(), format == OutputFormat.WIDE, Instant.now()));
      }
    }
    return 0;
  }

  /** A problem reply: one line in plain words ({@code STATUS CODE: detail}), then the problem as the daemon sent it. */
  int problem(ApiClient.Response response) {
    JsonObject problem = null;
    try {
      if (Json.decodeValue(response.body()) instanceof JsonObject json) {
        problem = json;
      }
    } catch (DecodeException e) {
      problem = null;
    }
    if (problem == null) {
      err.println(command + ": HTTP " + response.status() + (response.body().isBlank() ? "" : ": "
          + response.body().strip()));
      return 1;
    }
    err.println(command + ": " + response.status() + " " + problem.getString("code", "") + ": "
        + problem.getString("detail", problem.getString("title", "")));
    err.println(problem.encodePrettily());
    return 1;
  }

  /** A file argument ({@code -} for stdin); an unreadable one is a usage error that says why. */
  String readInput(String file, CommandSpec spec) {
    try {
      if (file.equals("-")) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Path path = Path.of(file);
      if (Files.isDirectory(path)) {
        throw new ParameterException(spec.commandLine(), "cannot read " + file + ": it is a directory");
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), "cannot read " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new ParameterException(spec.commandLine(), "cannot read " + file + ": permission denied");
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
    }
  }

  static String pretty(String body) {
    try {
      Object value = Json.decodeValue(body);
      if (value instanceof JsonObject json) {
        return json.encodePrettily();
      }
      return value instanceof JsonArray array ? array.encodePrettily() : body;
    } catch (DecodeException e) {
      return body;
    }
  }
}

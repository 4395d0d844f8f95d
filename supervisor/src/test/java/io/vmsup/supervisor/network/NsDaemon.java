package io.vmsup.supervisor.network;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vmsup run} as a real process inside a test's network namespace ({@code ip netns exec NS java ... run}),
 * spoken to over its HTTP API with curl inside the same namespace (its 127.0.0.1 is the namespace's own).
 */
final class NsDaemon implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("vmsup: listening on (\\S+);");

  final NetNs ns;
  final Path stateDir;
  private final Process process;
  private final CompletableFuture<String> url = new CompletableFuture<>();
  private final StringBuilder output = new StringBuilder();

  private NsDaemon(NetNs ns, Path stateDir, Process process) {
    this.ns = ns;
    this.stateDir = stateDir;
    this.process = process;
    Thread reader = new Thread(this::read, "ns-daemon-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static NsDaemon start(NetNs ns, Path stateDir, String... extra) throws Exception {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(ns.prefix());
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--enable-native-access")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(List.of("-cp", classPath, "io.vmsup.supervisor.main.Main", "run", "--http-port", "0",
        "--state-dir", stateDir.toString()));
    cmd.addAll(List.of(extra));
    NsDaemon d = new NsDaemon(ns, stateDir, new ProcessBuilder(cmd).redirectErrorStream(true).start());
    d.url.get(90, TimeUnit.SECONDS);
    return d;
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        System.out.println("[ns-daemon " + process.pid() + "] " + line);
        synchronized (output) {
          output.append(line).append('\n');
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          url.complete(m.group(1));
        }
      }
    } catch (IOException e) {
      url.completeExceptionally(e);
    }
    url.completeExceptionally(new IOException("the daemon ended before it listened:\n" + output));
  }

  /** One HTTP answer: status and body. */
  record Reply(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  Reply call(String method, String path, Object body) throws Exception {
    String token = Files.readString(stateDir.resolve("token")).trim();
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-X", method, "-w", "\n%{http_code}",
        "-H", "Authorization: Bearer " + token, "-H", "Content-Type: application/json"));
    if (body != null) {
      cmd.addAll(List.of("--data-binary", body.toString()));
    }
    cmd.add(url.get() + path);
    String out = ns.exec(cmd.toArray(new String[0]));
    int nl = out.lastIndexOf('\n');
    return new Reply(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
  }

  /** A call that must answer {@code status}; its JSON body (empty for none). */
  JsonObject expect(int status, String method, String path, Object body) throws Exception {
    Reply r = call(method, path, body);
    if (r.status() != status) {
      throw new AssertionError(method + " " + path + " answered " + r.status() + " (expected " + status + "): "
          + r.body());
    }
    return r.body().isBlank() ? new JsonObject() : r.json();
  }

  /** SIGTERM and wait: the daemon stops; VMs and networks stay (the next daemon re-adopts them). */
  @Override
  public void close() throws Exception {
    process.toHandle().destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the daemon did not stop within 60 s after SIGTERM");
    }
  }
}

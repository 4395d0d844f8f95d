package io.vmsup.supervisor.bench;

import io.vmsup.supervisor.cluster.ClusterInit;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet of {@code vmsup bench fleet}: members as separate {@code vmsup run --cluster} processes (this JVM's java,
 * class path and module flags) on loopback, certificates from {@code cluster init}, free ports, a state directory
 * and a log file each, under one temporary directory. Blocking calls: the bench's own thread, no event loop.
 */
final class FleetMembers implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("vmsup: listening on (\\S+);");

  /** One member process. */
  record Member(String host, Process process, String url, String token, Path state) {
  }

  private final Path dir;
  private final int failureSeconds;
  private final List<String> extra;
  private final Map<String, int[]> ports = new LinkedHashMap<>();
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** Members {@code hosts}, each run with {@code extra} settings after the fleet's own. */
  FleetMembers(List<String> hosts, int failureSeconds, List<String> extra) throws IOException {
    this.dir = Files.createTempDirectory("vmsup-bench-fleet-");
    this.failureSeconds = failureSeconds;
    this.extra = List.copyOf(extra);
    ClusterInit.run(dir.resolve("certs"), hosts, List.of("127.0.0.1"), new PrintStream(OutputStream.nullOutputStream()));
    for (String h : hosts) {
      ports.put(h, new int[] {freePort(), freePort()});
    }
  }

  Path dir() {
    return dir;
  }

  Member member(String host) {
    return members.get(host);
  }

  /** Starts {@code host} and waits until it listens (it joins the cluster first). */
  Member start(String host) throws Exception {
    int[] p = ports.get(host);
    List<String> join = new ArrayList<>();
    ports.values().forEach(q -> join.add("127.0.0.1:" + q[0]));
    Path state = dir.resolve("state-" + host);
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("-Xmx")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.vmsup.supervisor.main.Main", "run",
        "--cluster", "--host-id", host, "--cluster-tls-dir", dir.resolve("certs").resolve(host).toString(),
        "--cluster-port", String.valueOf(p[0]), "--cluster-bus-port", String.valueOf(p[1]), "--cluster-members",
        String.join(",", join), "--cluster-failure-seconds", String.valueOf(failureSeconds), "--http-port", "0",
        "--state-dir", state.toString()));
    command.addAll(extra);
    Path log = dir.resolve(host + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    String url = awaitListening(process, log);
    Member m = new Member(host, process, url, Files.readString(state.resolve("token")).trim(), state);
    members.put(host, m);
    return m;
  }

  private static String awaitListening(Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    int from = Files.exists(log) ? Files.readAllLines(log).size() : 0;
    while (System.nanoTime() < deadline) {
      List<String> lines = Files.readAllLines(log);
      for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
      if (!process.isAlive()) {
        throw new IOException("a fleet member ended before it listened; its log: " + log);
      }
      Thread.sleep(100);
    }
    throw new IOException("a fleet member did not listen within 5 minutes; its log: " + log);
  }

  /** One HTTP request to a member: status and body. */
  HttpResponse<String> send(Member m, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(m.url() + path)).timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + m.token());
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** As {@link #send}, failing on a status of 300 or more. */
  String ok(Member m, String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(m, method, path, body);
    if (r.statusCode() >= 300) {
      throw new IOException(method + " " + path + " on " + m.host() + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops every member still running, kills QEMUs of its state directories, removes the directory. */
  @Override
  public void close() throws Exception {
    for (Member m : members.values()) {
      ProcessHandle h = m.process().toHandle();
      if (h.isAlive()) {
        SupervisionRig.signal(h.pid(), "CONT");
        h.destroy();
        m.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        h.destroyForcibly();
      }
    }
    for (ProcessHandle p : ProcessHandle.allProcesses().filter(h -> h.info().arguments().map(a ->
        String.join(" ", a).contains(dir.toString())).orElse(false)).toList()) {
      p.destroyForcibly();
    }
    ScaleRig.deleteTree(dir);
  }
}

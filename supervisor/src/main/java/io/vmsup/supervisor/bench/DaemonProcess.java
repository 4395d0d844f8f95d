package io.vmsup.supervisor.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vmsup daemon as operators run it: {@code ./vmsup run} (the launcher named by {@code VMSUP_LAUNCHER}, with its
 * JVM flags and {@code VMSUP_JAVA_OPTS}) as its own process, so its {@code /proc} figures are the daemon's alone;
 * one keep-alive HTTP/1.1 client talks to it.
 */
final class DaemonProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("vmsup: listening on (\\S+);");

  private final Path dir;
  private final Process process;
  private final String url;
  private final String token;
  private final long startedNanos;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private DaemonProcess(Path dir, Process process, String url, String token, long startedNanos) {
    this.dir = dir;
    this.process = process;
    this.url = url;
    this.token = token;
    this.startedNanos = startedNanos;
  }

  /** Starts {@code ./vmsup run} on a free port with its state in {@code dir}, and waits until it listens. */
  static DaemonProcess start(Path dir) throws Exception {
    String launcher = System.getenv("VMSUP_LAUNCHER");
    if (launcher == null) {
      throw new IOException("VMSUP_LAUNCHER is not set: run ./vmsup bench libvirt (the daemon is started with "
          + "./vmsup run and its JVM flags)");
    }
    Files.createDirectories(dir);
    Path log = dir.resolve("daemon.log");
    long t0 = System.nanoTime();
    // the JIT warm-up sends its pass-throughs back to back: a budget a fast client does not meet (429 otherwise)
    Process p = new ProcessBuilder(launcher, "run", "--http-port", "0", "--state-dir", dir.resolve("state").toString(),
        "--mutating-rate", "100000", "--mutating-burst", "100000")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String url = awaitListening(p, log);
    long took = System.nanoTime() - t0;
    String token = Files.readString(dir.resolve("state").resolve("token")).trim();
    return new DaemonProcess(dir, p, url, token, took);
  }

  private static String awaitListening(Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) {
        return m.group(1);
      }
      if (!p.isAlive()) {
        throw new IOException("./vmsup run ended before it listened; its output: " + log + "\n"
            + Files.readString(log));
      }
      Thread.sleep(20); // bench thread, polling the daemon's log
    }
    throw new IOException("./vmsup run did not listen within 5 minutes; its output: " + log);
  }

  long pid() {
    return process.pid();
  }

  /** From the launcher's start to the "listening" line, ms. */
  double startupMs() {
    return startedNanos / 1e6;
  }

  /** The port the daemon's HTTP edge listens on. */
  int port() {
    return URI.create(url).getPort();
  }

  String token() {
    return token;
  }

  /** One request; its duration in ns; fails unless the status is {@code expect}. */
  long send(String method, String path, String body, int expect) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + token).header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long took = System.nanoTime() - t0;
    if (r.statusCode() != expect) {
      throw new IOException(method + " " + path + " answered " + r.statusCode() + " (expected " + expect + "): "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
    return took;
  }

  /** The spec of the VM both sides run: TCG q35, 128 MiB, one vCPU, no disk, no NIC, never restarted. */
  static String spec(String name) {
    return "{\"name\":\"" + name + "\",\"machine\":{\"type\":\"q35\",\"accel\":\"tcg\"},\"memory\":{\"size\":\"128M\"},"
        + "\"supervision\":{\"restart\":\"never\"}}";
  }

  /** create + start until RUNNING, ns. */
  long start(String name) throws Exception {
    return send("POST", "/v1/vms", spec(name), 201) + send("POST", "/v1/vms/" + name + "/start", null, 200);
  }

  /** kill until STOPPED, ns; then the VM is deleted (not timed). */
  long kill(String name) throws Exception {
    long took = send("POST", "/v1/vms/" + name + "/kill", null, 200);
    send("DELETE", "/v1/vms/" + name, null, 204);
    return took;
  }

  /** SIGTERM (VMs keep running), then every process that names the state directory is killed; removes it. */
  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    List<ProcessHandle> left = ProcessHandle.allProcesses().filter(h -> h.info().arguments()
        .map(a -> String.join(" ", a).contains(dir.toString())).orElse(false)).toList();
    for (ProcessHandle h : left) {
      h.destroyForcibly();
      h.onExit().get(10, TimeUnit.SECONDS);
    }
    ScaleRig.deleteTree(dir);
  }
}

package io.vmsup.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsup.config.impl.QemuOpts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real QEMU started from a rendered argv plus {@code -S}, its output in a log file, and a minimal blocking QMP
 * session over a JDK unix socket channel. Every wait has a timeout; no sleeps.
 */
final class QemuUnderTest implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_MS = 15_000;

  private final Process process;
  private final Path log;
  private final ExecutorService io = Executors.newSingleThreadExecutor();
  private SocketChannel channel;
  private BufferedReader in;
  private OutputStream out;

  private QemuUnderTest(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code prefix + argv + -S} plus a monitor of the test's own: QEMU connects to a socket this test listens
   * on (no connect polling), and the session is ready once {@code qmp_capabilities} answered.
   */
  static QemuUnderTest start(List<String> prefix, List<String> argv, Path testQmp, Path log) throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(argv);
    command.addAll(List.of("-S", "-chardev", QemuOpts.of("socket").add("id", "it-qmp").add("server", false)
        .add("path", testQmp.toString()).toArg(), "-mon", "chardev=it-qmp,mode=control"));
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(testQmp));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      QemuUnderTest q = new QemuUnderTest(p, log);
      Future<SocketChannel> accepted = q.io.submit(server::accept);
      long deadline = System.currentTimeMillis() + TIMEOUT_MS;
      while (true) {
        try {
          q.channel = accepted.get(100, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          if (!p.isAlive() || System.currentTimeMillis() > deadline) {
            q.close();
            throw new IllegalStateException("QEMU " + (p.isAlive() ? "did not connect to QMP in time"
                : "exited " + p.exitValue()) + ":\n" + q.logText());
          }
        }
      }
      q.connect();
      return q;
    }
  }

  private void connect() throws Exception {
    in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    out = Channels.newOutputStream(channel);
    JsonNode greeting = io.submit(this::readMessage).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    if (!greeting.has("QMP")) {
      throw new IllegalStateException("no QMP greeting: " + greeting);
    }
    execute("qmp_capabilities", Map.of());
  }

  /** Connects to a QMP server socket QEMU listens on (the rendered runtime one) and returns its greeting. */
  static JsonNode greetingAt(Path socket) throws Exception {
    ExecutorService exec = Executors.newSingleThreadExecutor();
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
      return JSON.readTree(exec.submit(r::readLine).get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
    } finally {
      exec.shutdownNow();
    }
  }

  /** Runs a command and returns its {@code return} value; fails on an error reply. */
  JsonNode execute(String command, Map<String, Object> arguments) throws Exception {
    Map<String, Object> msg = arguments.isEmpty() ? Map.of("execute", command)
        : Map.of("execute", command, "arguments", arguments);
    Future<JsonNode> reply = io.submit(() -> {
      out.write(JSON.writeValueAsBytes(msg));
      out.write('\n');
      out.flush();
      while (true) {
        JsonNode m = readMessage();
        if (m.has("return") || m.has("error")) {
          return m;
        }
      }
    });
    JsonNode m;
    try {
      m = reply.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new TimeoutException(command + " got no reply:\n" + logText());
    }
    if (m.has("error")) {
      throw new IllegalStateException(command + " failed: " + m.get("error"));
    }
    return m.get("return");
  }

  private JsonNode readMessage() throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException("QMP closed:\n" + logText());
    }
    return JSON.readTree(line);
  }

  /** Sends {@code quit} and returns QEMU's exit code. */
  int quit() throws Exception {
    Future<?> send = io.submit(() -> {
      out.write("{\"execute\": \"quit\"}\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return null;
    });
    send.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("QEMU did not exit after quit:\n" + logText());
    }
    return process.exitValue();
  }

  String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    if (channel != null) {
      channel.close();
    }
    io.shutdownNow();
  }
}

package io.vmsup.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.impl.QemuOpts;
import io.vmsup.qmp.testing.TestQmp;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real QEMU started from a rendered argv plus {@code -S}, its output in a log file, and a QMP session through the
 * shared blocking test client ({@link TestQmp}, qmp-client's test-jar). Every wait has a timeout; no sleeps.
 */
final class QemuUnderTest implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_MS = 15_000;
  private static final Duration TIMEOUT = Duration.ofMillis(TIMEOUT_MS);

  private final Process process;
  private final Path log;
  private final ExecutorService io = Executors.newSingleThreadExecutor();
  private SocketChannel channel;
  private TestQmp qmp;

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
      q.qmp = TestQmp.negotiate(q.channel, TIMEOUT);
      return q;
    }
  }

  /** Connects to a QMP server socket QEMU listens on (the rendered runtime one) and returns its greeting. */
  static JsonNode greetingAt(Path socket) throws Exception {
    try (TestQmp other = TestQmp.connect(socket, TIMEOUT)) {
      return JSON.readTree(other.greeting().encode());
    }
  }

  /** Runs a command and returns its {@code return} value; fails on an error reply. */
  JsonNode execute(String command, Map<String, Object> arguments) throws Exception {
    try {
      return JSON.readTree(Json.encode(qmp.executeValue(command, new JsonObject(arguments), TIMEOUT)));
    } catch (AssertionError e) {
      if (process.isAlive() && e.getMessage().contains(" within ")) {
        process.destroyForcibly();
      }
      throw new IllegalStateException(e.getMessage() + "\n" + logText(), e);
    }
  }

  /** Sends {@code quit} and returns QEMU's exit code. */
  int quit() throws Exception {
    try {
      qmp.execute("quit", new JsonObject(), TIMEOUT);
    } catch (AssertionError e) {
      // qmp-spec: QEMU may close the monitor before its reply to quit reaches us; the exit code tells the truth
      if (!e.getMessage().contains("connection closed")) {
        throw e;
      }
    }
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
    if (qmp != null) {
      qmp.close();
    } else if (channel != null) {
      channel.close();
    }
    io.shutdownNow();
  }
}

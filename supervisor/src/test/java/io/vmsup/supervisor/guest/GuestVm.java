package io.vmsup.supervisor.guest;

import io.vmsup.qmp.testing.TestQmp;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test guest booted by plain {@code qemu-system-x86_64} (no supervisor), for tests of the guest itself and of
 * QEMU behaviour the supervisor relies on. The test listens on two unix sockets in {@code dir} and QEMU connects to
 * them (QMP and the serial console, the console also logged to {@code serial.log}), so nothing polls for a socket
 * file and no console output is lost. QEMU's own output goes to {@code qemu.log}.
 */
public final class GuestVm implements AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final TestQmp qmp;
  private final SerialConsole console;
  private final Path dir;

  private GuestVm(Process process, TestQmp qmp, SerialConsole console, Path dir) {
    this.process = process;
    this.qmp = qmp;
    this.console = console;
    this.dir = dir;
  }

  /**
   * Boots the guest under the detected {@link Accel} with {@code -device pvpanic} and 128 MiB unless
   * {@code extraArgs} has its own {@code -m}.
   *
   * @param switches  guest switches appended to {@link GuestImage#BASE_APPEND}
   * @param extraArgs further QEMU arguments (devices, {@code -no-reboot}, ...)
   */
  public static GuestVm launch(GuestImage image, Path dir, List<String> switches, List<String> extraArgs)
      throws IOException {
    Path qmpPath = dir.resolve("qmp.sock");
    Path serialPath = dir.resolve("serial.sock");
    try (ServerSocketChannel qmpServer = listen(qmpPath); ServerSocketChannel serialServer = listen(serialPath)) {
      List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64"));
      argv.addAll(Accel.detect().args());
      if (!extraArgs.contains("-m")) {
        argv.addAll(List.of("-m", "128"));
      }
      argv.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none",
          "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
          "-append", GuestImage.append(switches.toArray(String[]::new)),
          "-chardev", "socket,id=qmp,path=" + qmpPath, "-mon", "chardev=qmp,mode=control",
          "-chardev", "socket,id=serial0,path=" + serialPath + ",logfile=" + dir.resolve("serial.log"),
          "-serial", "chardev:serial0", "-device", "pvpanic"));
      argv.addAll(extraArgs);
      Files.writeString(dir.resolve("qemu.argv"), String.join("\n", argv) + "\n");
      Process process = new ProcessBuilder(argv)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("qemu.log").toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .start();
      try {
        // QEMU opens client chardevs in command-line order: QMP first, then the serial console.
        SocketChannel qmpSocket = accept(qmpServer, process, dir);
        SocketChannel serialSocket = accept(serialServer, process, dir);
        SerialConsole console = SerialConsole.over(serialSocket);
        return new GuestVm(process, TestQmp.negotiate(qmpSocket, CONNECT_TIMEOUT), console, dir);
      } catch (IOException | RuntimeException | Error e) {
        process.destroyForcibly();
        throw e;
      }
    } finally {
      Files.deleteIfExists(qmpPath);
      Files.deleteIfExists(serialPath);
    }
  }

  public TestQmp qmp() {
    return qmp;
  }

  public SerialConsole console() {
    return console;
  }

  public Process process() {
    return process;
  }

  /**
   * Waits for QEMU to exit and returns its exit code.
   *
   * @throws AssertionError when it is still running after {@code timeout}
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("QEMU still running after " + timeout + "; QEMU log:\n" + log());
    }
    return process.exitValue();
  }

  /** QEMU's stdout and stderr so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("qemu.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no QEMU log: " + e + ")";
    }
  }

  /** Kills QEMU if it still runs, and closes the sockets. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    qmp.close();
    console.close();
  }

  private static ServerSocketChannel listen(Path path) throws IOException {
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    server.configureBlocking(false);
    return server;
  }

  private static SocketChannel accept(ServerSocketChannel server, Process process, Path dir) throws IOException {
    try (Selector selector = Selector.open()) {
      server.register(selector, SelectionKey.OP_ACCEPT);
      long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
      while (true) {
        SocketChannel channel = server.accept();
        if (channel != null) {
          channel.configureBlocking(true);
          return channel;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !process.isAlive()) {
          String log = Files.exists(dir.resolve("qemu.log")) ? Files.readString(dir.resolve("qemu.log")) : "";
          throw new AssertionError("QEMU did not connect to " + server.getLocalAddress()
              + (process.isAlive() ? " within " + CONNECT_TIMEOUT : " (it exited)") + "; QEMU log:\n" + log);
        }
        // Wakes on the connection; the 200 ms bound only lets us notice a QEMU that died before connecting.
        selector.select(Math.min(left, 200));
      }
    }
  }
}

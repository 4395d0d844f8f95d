package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Line splitting, cursor and command framing of {@link SerialConsole}, below the guest (a socket peer plays it). */
class SerialConsoleTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void splitsLinesAcrossChunksAndDropsCarriageReturns(@TempDir Path dir) throws Exception {
    try (ServerSocketChannel server = listen(dir); SocketChannel guest = connect(dir);
        SerialConsole console = SerialConsole.over(server.accept())) {
      for (String chunk : new String[] {"boot", "ing\r\nGUEST-", "READY\r", "\n"}) {
        write(guest, chunk);
      }

      assertThat(console.awaitLine(GuestImage.READY, WAIT)).isEqualTo(GuestImage.READY);
      assertThat(console.snapshot()).containsExactly("booting", "GUEST-READY");
    }
  }

  @Test
  void consecutiveWaitsMoveForwardAndAFailedWaitShowsTheTail(@TempDir Path dir) throws Exception {
    try (ServerSocketChannel server = listen(dir); SocketChannel guest = connect(dir);
        SerialConsole console = SerialConsole.over(server.accept())) {
      write(guest, "GUEST-READY\nsomething\nGUEST-READY\n");

      console.awaitLine(GuestImage.READY, WAIT);
      console.awaitLine(GuestImage.READY, WAIT);

      assertThat(console.pollLine(Pattern.compile("READY"), Duration.ofMillis(50))).isEmpty();
      assertThatThrownBy(() -> console.awaitLine("never", Duration.ofMillis(50)))
          .isInstanceOf(AssertionError.class).hasMessageContaining("something");
    }
  }

  @Test
  void runSendsOneLineAndReturnsTheFramedOutput(@TempDir Path dir) throws Exception {
    try (ServerSocketChannel server = listen(dir); SocketChannel guest = connect(dir);
        SerialConsole console = SerialConsole.over(server.accept())) {
      write(guest, "noise before\n");
      Thread peer = new Thread(() -> answer(guest, "nproc\n", "CMD-BEGIN 7\r\n4\r\nkernel says hi\r\nCMD-END 7 rc=3\r\n"));
      peer.start();

      CommandResult result = console.run("nproc", WAIT);

      assertThat(result.sequence()).isEqualTo(7);
      assertThat(result.rc()).isEqualTo(3);
      assertThat(result.output()).containsExactly("4", "kernel says hi");
      peer.join(WAIT.toMillis());
    }
  }

  @Test
  void followsAFileThatAppearsAndGrowsLater(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("sub").resolve("serial.log");
    try (SerialConsole console = SerialConsole.follow(log)) {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "line one\nGUEST-", StandardCharsets.UTF_8);
      Files.writeString(log, "READY\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

      console.awaitLine(GuestImage.READY, WAIT);
      assertThat(console.snapshot()).containsExactly("line one", "GUEST-READY");
      assertThatThrownBy(() -> console.run("nproc", WAIT)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void followsAFileThatIsTruncatedOrReplaced(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("serial.log");
    Files.writeString(log, "first boot, a long line that makes the file bigger\nGUEST-READY\n");
    try (SerialConsole console = SerialConsole.follow(log)) {
      console.awaitLine(GuestImage.READY, WAIT);

      Files.writeString(log, "GUEST-READY\n"); // truncates, like a restarted QEMU's -chardev file
      console.awaitLine(GuestImage.READY, WAIT);

      Path rotated = dir.resolve("serial.log.1");
      Files.move(log, rotated);
      Files.writeString(log, "third\n");
      console.awaitLine("third", WAIT);
    }
  }

  private static ServerSocketChannel listen(Path dir) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(dir.resolve("console.sock")));
    return server;
  }

  private static SocketChannel connect(Path dir) throws IOException {
    return SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("console.sock")));
  }

  private static void write(SocketChannel channel, String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  // Reads the expected command line, then replies like the guest's command loop.
  private static void answer(SocketChannel guest, String expected, String reply) {
    try {
      ByteBuffer in = ByteBuffer.allocate(expected.length());
      while (in.hasRemaining() && guest.read(in) >= 0) {
        // keep reading until the whole command arrived
      }
      assertThat(new String(in.array(), StandardCharsets.UTF_8)).isEqualTo(expected);
      write(guest, reply);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

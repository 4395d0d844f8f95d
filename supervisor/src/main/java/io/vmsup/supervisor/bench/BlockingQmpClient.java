package io.vmsup.supervisor.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The simplest possible QMP client, the baseline of {@link BenchQmp}: a blocking JDK {@link SocketChannel}, one
 * message per CRLF-terminated line, no ids kept, events skipped. Not for production use. It negotiates {@code oob}
 * like the vmsup client does by default, so QEMU does the same work for both.
 */
final class BlockingQmpClient implements AutoCloseable {

  private final SocketChannel channel;
  private final ByteBuffer in = ByteBuffer.allocate(1 << 20);
  private final StringBuilder line = new StringBuilder();
  private int inPos;
  private int inLimit;

  BlockingQmpClient(Path socket) throws IOException {
    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    readLine(); // greeting
    write("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}");
    readReply();
  }

  void write(String json) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  /** The next line that is a reply (events are skipped). */
  String readReply() throws IOException {
    while (true) {
      String l = readLine();
      if (!l.startsWith("{\"event\"")) {
        return l;
      }
    }
  }

  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      if (inPos == inLimit) {
        in.clear();
        if (channel.read(in) < 0) {
          throw new IOException("QMP socket closed");
        }
        inPos = 0;
        inLimit = in.position();
      }
      byte[] a = in.array();
      while (inPos < inLimit) {
        byte b = a[inPos++];
        if (b == '\n') {
          return line.toString();
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

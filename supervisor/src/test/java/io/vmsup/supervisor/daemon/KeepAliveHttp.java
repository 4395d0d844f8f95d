package io.vmsup.supervisor.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One raw HTTP/1.1 keep-alive connection with the bearer token, opened once and reused for every request: the
 * "already-open authenticated connection" of a flood test (the JDK client would open new ones as it likes).
 */
final class KeepAliveHttp implements AutoCloseable {

  /** A response: status and body. */
  record Reply(int status, String body) {
  }

  private final Socket socket;
  private final String token;
  private final String host;
  private final InputStream in;
  private final OutputStream out;

  KeepAliveHttp(String url, String token) throws IOException {
    URI u = URI.create(url);
    this.socket = new Socket(u.getHost(), u.getPort());
    this.socket.setSoTimeout(60_000);
    this.token = token;
    this.host = u.getHost() + ":" + u.getPort();
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  Reply get(String path) throws IOException {
    out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
        + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = line();
    int length = -1;
    for (String h = line(); !h.isEmpty(); h = line()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(h.substring(h.indexOf(':') + 1).trim());
      }
      if (lower.startsWith("connection:") && lower.contains("close")) {
        throw new IOException("the daemon closes the keep-alive connection: " + status);
      }
    }
    if (length < 0) {
      throw new IOException("no content-length in a reply to " + path + ": " + status);
    }
    byte[] body = in.readNBytes(length);
    return new Reply(Integer.parseInt(status.split(" ")[1]), new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the daemon closed the keep-alive connection");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

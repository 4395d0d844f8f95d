package io.vmsup.supervisor.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One plain TCP connection speaking HTTP/1.1 by hand, so a test controls exactly what crosses it: a keep-alive
 * connection reused across requests, a half-sent header, a connection from a chosen loopback address.
 */
final class RawHttp implements AutoCloseable {

  /** A response: status, headers (lower-case names), body. */
  record Response(int status, Map<String, String> headers, String body) {
  }

  private final Socket socket;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects to the daemon at {@code url} from the local address {@code from} (e.g. 127.0.0.2). */
  static RawHttp open(String url, String from) throws IOException {
    URI uri = URI.create(url);
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
    socket.setSoTimeout(60_000);
    return new RawHttp(socket);
  }

  void write(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** Sends one request (keep-alive) and reads its response. */
  Response request(String method, String path, String token, String body) throws IOException {
    StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    if (token != null) {
      b.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      b.append("Content-Type: application/json\r\n");
    }
    b.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    write(b.toString());
    socket.getOutputStream().write(bytes);
    return readResponse();
  }

  private Response readResponse() throws IOException {
    String status = line();
    if (status == null) {
      throw new IOException("connection closed before a response");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(); l != null && !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /** Waits (up to the socket timeout) for the server to close the connection; true when it did. */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // a reset is a close too
      return true;
    }
  }

  /** Whether the connection is still open after waiting {@code millis} for data or a close. */
  boolean stillOpenAfter(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return in.read() >= 0;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      socket.setSoTimeout(60_000);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

package io.vmsup.supervisor.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The simplest blocking clients of {@code vmsup bench api}, one socket each, the counterparts of
 * {@link BlockingQmpClient}: so that a figure measures the daemon, not a client's own thread hand-offs. HTTP/1.1
 * keep-alive (whole requests written at once, {@code Content-Length} replies only); the SockJS bridge's raw WebSocket
 * transport (RFC 6455 frames, masked as a client must); the TCP bridge's 4-byte length frames. Not for production use.
 */
final class WireClients {

  private WireClients() {
  }

  /** One keep-alive HTTP/1.1 connection. */
  static final class Http implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Http(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    /** The bytes of a request with {@code token} (null: none) and {@code body} (null: none). */
    static byte[] request(String method, String path, String token, String body) {
      StringBuilder r = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      if (token != null) {
        r.append("Authorization: Bearer ").append(token).append("\r\n");
      }
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        r.append("Content-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n");
      }
      byte[] head = r.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
      byte[] all = new byte[head.length + b.length];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(b, 0, all, head.length, b.length);
      return all;
    }

    /** Sends {@code request} and reads the whole reply; fails unless the status is 200. */
    String call(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String head = head(in);
      if (!head.startsWith("HTTP/1.1 200")) {
        throw new IOException("answered " + head.lines().findFirst().orElse(head));
      }
      int at = head.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length:");
      if (at < 0) {
        throw new IOException("a reply without Content-Length: " + head);
      }
      int length = Integer.parseInt(head.substring(at + 17, head.indexOf('\r', at + 2)).trim());
      return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** The head of an HTTP response, up to and including the blank line. */
  static String head(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || head.charAt(head.length() - 1) != '\n' || head.charAt(head.length() - 3) != '\n') {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed after " + head);
      }
      head.append((char) c);
    }
    return head.toString();
  }

  /** The SockJS bridge's raw WebSocket transport ({@code /eventbus/websocket}): one JSON frame each way. */
  static final class BridgeSocket implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    BridgeSocket(int port, String token) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out = socket.getOutputStream();
      byte[] key = new byte[16];
      ThreadLocalRandom.current().nextBytes(key);
      out.write(("GET /eventbus/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
          + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String head = head(in);
      if (!head.startsWith("HTTP/1.1 101")) {
        throw new IOException("the bridge refused the WebSocket: " + head);
      }
    }

    /** Sends {@code json} as one masked text frame and returns the next data frame's text (pings answered). */
    String call(byte[] json) throws IOException {
      write(0x1, json);
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        int opcode = b0 & 0x0f;
        if (opcode == 0x9) {
          write(0xA, payload);
        } else if (opcode == 0x8) {
          throw new EOFException("the bridge closed the WebSocket");
        } else if (opcode == 0x1 || opcode == 0x2) {
          return new String(payload, StandardCharsets.UTF_8);
        }
      }
    }

    private void write(int opcode, byte[] payload) throws IOException {
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      int n = payload.length;
      byte[] head = n < 126 ? new byte[] {(byte) (0x80 | opcode), (byte) (0x80 | n)}
          : new byte[] {(byte) (0x80 | opcode), (byte) (0x80 | 126), (byte) (n >>> 8), (byte) n};
      byte[] frame = new byte[head.length + 4 + n];
      System.arraycopy(head, 0, frame, 0, head.length);
      System.arraycopy(mask, 0, frame, head.length, 4);
      for (int i = 0; i < n; i++) {
        frame[head.length + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
      }
      out.write(frame);
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** The TCP event-bus bridge: a 4-byte big-endian length, then the JSON frame, each way. */
  static final class TcpBridge implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    TcpBridge(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out = socket.getOutputStream();
    }

    String call(byte[] json) throws IOException {
      byte[] frame = new byte[4 + json.length];
      int n = json.length;
      frame[0] = (byte) (n >>> 24);
      frame[1] = (byte) (n >>> 16);
      frame[2] = (byte) (n >>> 8);
      frame[3] = (byte) n;
      System.arraycopy(json, 0, frame, 4, n);
      out.write(frame);
      out.flush();
      byte[] reply = new byte[in.readInt()];
      in.readFully(reply);
      return new String(reply, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}

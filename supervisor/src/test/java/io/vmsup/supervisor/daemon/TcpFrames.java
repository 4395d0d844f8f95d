package io.vmsup.supervisor.daemon;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking TCP bridge client for tests: frames of a 4-byte big-endian length and JSON, written raw if need be. */
final class TcpFrames implements AutoCloseable {

  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  TcpFrames(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(60_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void write(JsonObject frame) throws IOException {
    writeRaw(frame.encode().getBytes(StandardCharsets.UTF_8));
  }

  void writeRaw(byte[] json) throws IOException {
    writeLength(json.length);
    out.write(json);
    out.flush();
  }

  void writeLength(int length) throws IOException {
    out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
    out.flush();
  }

  /** Writes {@code json} as a frame and returns the {@code message} of the error frame that answers it. */
  String refusal(String json) throws IOException {
    writeRaw(json.getBytes(StandardCharsets.UTF_8));
    return read().getString("message");
  }

  /** The next frame. */
  JsonObject read() throws IOException {
    int length = in.readInt();
    byte[] body = new byte[length];
    in.readFully(body);
    return new JsonObject(new String(body, StandardCharsets.UTF_8));
  }

  /** Sends a request with {@code token} (null: none) and returns its reply or error frame. */
  JsonObject request(String address, JsonObject body, String token) throws IOException {
    JsonObject headers = new JsonObject();
    if (token != null) {
      headers.put("authorization", "Bearer " + token);
    }
    return request(address, body, headers);
  }

  JsonObject request(String address, JsonObject body, JsonObject headers) throws IOException {
    write(new JsonObject().put("type", "send").put("address", address).put("replyAddress", "t-1")
        .put("headers", headers).put("body", body));
    return read();
  }

  /** Whether the daemon closed the connection: reads until the end of the stream (frames before it are skipped). */
  boolean closedByPeer() throws IOException {
    try {
      while (true) {
        read();
      }
    } catch (EOFException | java.net.SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

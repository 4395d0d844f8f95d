package io.vmsup.qmp.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vmsup.qmp.impl.JsonFramer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A scripted QMP server on a unix socket, for faults QEMU cannot produce. The script sees each accepted
 * {@link Session} and each command the client sends.
 */
public final class FakeQmpServer implements AutoCloseable {

  public static final String GREETING =
      "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"fake\"},"
          + " \"capabilities\": []}}\r\n";

  /** What the script does. */
  public interface Script {
    /** A client connected; by default greet it. */
    default void connected(Session session) {
      session.send(GREETING);
    }

    /** A command arrived; by default answer {@code {}} with its id. */
    default void command(Session session, JsonObject command) {
      session.reply(command, "{}");
    }
  }

  /** One accepted connection. */
  public static final class Session {
    private final NetSocket socket;

    Session(NetSocket socket) {
      this.socket = socket;
    }

    public void send(String text) {
      socket.write(text);
    }

    /** Raw bytes, for what no {@link String} can hold (invalid UTF-8). */
    public void send(Buffer bytes) {
      socket.write(bytes);
    }

    public void reply(JsonObject command, String returnValue) {
      send("{\"return\": " + returnValue + ", \"id\": " + command.getValue("id") + "}\r\n");
    }

    public void close() {
      socket.close();
    }
  }

  private final NetServer server;

  private FakeQmpServer(NetServer server) {
    this.server = server;
  }

  public static FakeQmpServer start(Vertx vertx, Path path, Script script) {
    NetServer server = vertx.createNetServer();
    server.connectHandler(so -> {
      Session session = new Session(so);
      Handler<Buffer> onFrame = frame -> script.command(session, new JsonObject(frame));
      JsonFramer framer = new JsonFramer(1 << 20, onFrame, e -> so.close());
      so.handler(framer::handle);
      script.connected(session);
    });
    Await.result(server.listen(SocketAddress.domainSocketAddress(path.toString())), Duration.ofSeconds(5));
    return new FakeQmpServer(server);
  }

  @Override
  public void close() {
    Await.result(server.close(), Duration.ofSeconds(5));
  }
}

package io.vmsup.supervisor.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import io.vmsup.supervisor.launch.Spawner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The baseline: the argv the daemon runs for the same spec (its launch form, paths moved to a directory of the
 * bench's), spawned through the same {@link Spawner}, except that QEMU's monitor connects back to a socket the bench
 * listens on ({@code -chardev socket,id=vmsup-qmp,path=L} without {@code server=on}): no polling, no guessing.
 * Ready is the reply to {@code query-status} after the greeting and {@code qmp_capabilities}.
 */
final class RawLaunch {

  private static final String QMP_CHARDEV = "socket,id=vmsup-qmp,";

  private final Vertx vertx;
  private final List<String> argv;
  private final String refDir;

  /**
   * @param argv   the daemon's launch form of a reference VM ({@code vmsup.vm.render})
   * @param refDir that VM's directory, replaced in each argument by the raw launch's own
   */
  RawLaunch(Vertx vertx, List<String> argv, Path refDir) {
    this.vertx = vertx;
    this.argv = List.copyOf(argv);
    this.refDir = refDir.toString();
  }

  /**
   * A started QEMU: its pid and exit (from the spawner), its monitor connection and spawn → ready time; {@link
   * #close()} closes the connection and the listener (whose close would have closed the connection with it).
   */
  record Ready(long pid, java.util.concurrent.CompletableFuture<Integer> exit, NetSocket qmp, NetServer server,
      long nanos) {
    void close() {
      qmp.close();
      server.close();
    }
  }

  /** Call on a Vert.x context (the bench runs it through {@code runOnContext} or a request's context). */
  Future<Ready> launch(Path dir) {
    long t0 = System.nanoTime();
    Path listen = dir.resolve("qmp-back.sock");
    NetServer server = vertx.createNetServer();
    Promise<NetSocket> accepted = Promise.promise();
    server.connectHandler(s -> {
      if (!accepted.tryComplete(s)) {
        s.close();
      }
    });
    return vertx.executeBlocking(() -> Files.createDirectories(dir), false)
        .compose(d -> server.listen(SocketAddress.domainSocketAddress(listen.toString())))
        .compose(s -> vertx.executeBlocking(() -> Spawner.shared().spawn(argvFor(dir, listen), dir,
            dir.resolve("qemu.log"), Map.of()), false))
        .compose(child -> accepted.future().compose(RawLaunch::ready)
            .map(sock -> new Ready(child.pid(), child.exit(), sock, server, System.nanoTime() - t0)))
        .onFailure(t -> server.close());
  }

  private List<String> argvFor(Path dir, Path listen) {
    List<String> out = new ArrayList<>();
    for (String a : argv) {
      out.add(a.startsWith(QMP_CHARDEV) ? QMP_CHARDEV + "path=" + listen : a.replace(refDir, dir.toString()));
    }
    return out;
  }

  /** Greeting → {@code qmp_capabilities} → {@code query-status}: ready at the second reply. */
  private static Future<NetSocket> ready(NetSocket sock) {
    Promise<NetSocket> done = Promise.promise();
    int[] replies = {0};
    RecordParser lines = RecordParser.newDelimited("\n", line -> {
      String text = line.toString();
      if (text.contains("\"QMP\"")) {
        sock.write("{\"execute\":\"qmp_capabilities\"}\n");
      } else if (text.contains("\"return\"") && ++replies[0] == 1) {
        sock.write("{\"execute\":\"query-status\"}\n");
      } else if (text.contains("\"return\"")) {
        sock.handler(b -> { });
        done.tryComplete(sock);
      } else if (text.contains("\"error\"")) {
        done.tryFail("QMP error: " + text);
      }
    });
    sock.handler(lines);
    sock.exceptionHandler(t -> { }); // a killed QEMU resets its end: the close handler says enough
    sock.closeHandler(v -> done.tryFail("QEMU closed its monitor before it was ready"));
    return done.future();
  }

  /** Sends {@code quit}; the caller waits for the exit. */
  static void quit(Ready r) {
    r.qmp().write(Buffer.buffer("{\"execute\":\"quit\"}\n"));
  }
}

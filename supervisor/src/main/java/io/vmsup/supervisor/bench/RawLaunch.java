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
import java.time.Duration;
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

  /**
   * A raw QEMU that was not ready: it exited first, never connected back, or did not answer within the limit. It is
   * killed and not waited for; {@link #kind()} groups such launches in the bench's count.
   */
  static final class NotReady extends Exception {
    private final String kind;

    NotReady(String kind, String detail) {
      super(kind + ": " + detail, null, false, false);
      this.kind = kind;
    }

    String kind() {
      return kind;
    }
  }

  /** {@link #launch(Path, Duration)} with the limit of a single launch (60 s). */
  Future<Ready> launch(Path dir) {
    return launch(dir, Duration.ofSeconds(60));
  }

  /**
   * Spawns one QEMU and waits until it is ready, for at most {@code limit}; fails with {@link NotReady} when it exits
   * first, never connects back or does not answer (then it is killed). Call from any thread.
   */
  Future<Ready> launch(Path dir, Duration limit) {
    long t0 = System.nanoTime();
    Path listen = dir.resolve("qmp-back.sock");
    NetServer server = vertx.createNetServer();
    Promise<NetSocket> ready = Promise.promise();
    long[] readyAt = {0};
    boolean[] connected = {false};
    // the monitor's handler is set the moment QEMU connects: a socket without a handler drops what arrives (Vert.x),
    // and QEMU's greeting may come before the spawn's own answer was handled
    server.connectHandler(s -> {
      if (connected[0]) {
        s.close();
        return;
      }
      connected[0] = true;
      handshake(s).onComplete(ar -> {
        readyAt[0] = System.nanoTime();
        if (ar.succeeded()) {
          ready.tryComplete(s);
        } else {
          ready.tryFail(new NotReady("QMP failed", ar.cause().getMessage()));
        }
      });
    });
    return vertx.executeBlocking(() -> Files.createDirectories(dir), false)
        .compose(d -> server.listen(SocketAddress.domainSocketAddress(listen.toString())))
        .compose(s -> vertx.executeBlocking(() -> Spawner.shared().spawn(argvFor(dir, listen), dir,
            dir.resolve("qemu.log"), Map.of()), false))
        .compose(child -> {
          child.exit().whenComplete((code, lost) -> ready.tryFail(new NotReady("exited before ready",
              (code == null ? "exit status unknown" : "exit code " + code) + "; log " + dir.resolve("qemu.log"))));
          long timer = vertx.setTimer(limit.toMillis(), id -> ready.tryFail(connected[0]
              ? new NotReady("no QMP answer in time", "connected, no query-status reply within " + limit.toSeconds() + " s")
              : new NotReady("never connected back", "no connection within " + limit.toSeconds() + " s")));
          return ready.future()
              .map(sock -> new Ready(child.pid(), child.exit(), sock, server, readyAt[0] - t0))
              .onComplete(ar -> vertx.cancelTimer(timer))
              .onFailure(t -> ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly));
        })
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
  private static Future<NetSocket> handshake(NetSocket sock) {
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

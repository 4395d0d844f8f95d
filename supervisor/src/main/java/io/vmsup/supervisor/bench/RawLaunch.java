package io.vmsup.supervisor.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.config.QemuArgv;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.qmp.QmpPeerCheck;
import io.vmsup.supervisor.link.ConnectLoop;
import io.vmsup.supervisor.link.QmpConnector;
import io.vmsup.supervisor.link.QmpLink;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline: spawn {@code qemu-system-x86_64 -machine none} with a QMP server socket and poll it until {@code
 * query-status} answers — the same connect loop the supervisor uses, without its bookkeeping.
 */
final class RawLaunch {

  private final Vertx vertx;
  private final QmpConnector connector;
  private final String qemu;

  RawLaunch(Vertx vertx, QmpConnector connector, String qemu) {
    this.vertx = vertx;
    this.connector = connector;
    this.qemu = qemu;
  }

  /** A started QEMU: its process, link and spawn → ready time. */
  record Ready(Process process, QmpLink link, long nanos) {
  }

  /** Call on a Vert.x context (the bench runs it through {@code runOnContext}). */
  Future<Ready> launch(Path socket) {
    long t0 = System.nanoTime();
    List<String> argv = new ArrayList<>(List.of(qemu, "-machine", "none", "-nodefaults", "-no-user-config",
        "-display", "none"));
    argv.addAll(QemuArgv.runtimeArgs(new RuntimeArgs(socket, null, null)));
    return vertx.executeBlocking(() -> new ProcessBuilder(argv).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("/dev/null"))).start(), false)
        .compose(p -> connect(socket, p, t0 + Duration.ofSeconds(30).toNanos())
            .compose(link -> link.execute(QmpCommands.queryStatus(), Duration.ofSeconds(10))
                .map(s -> new Ready(p, link, System.nanoTime() - t0))));
  }

  private Future<QmpLink> connect(Path socket, Process p, long deadline) {
    return ConnectLoop.connect(vertx, connector, socket, "bench-raw", QmpPeerCheck.process(p.pid()), p::isAlive,
        deadline);
  }
}

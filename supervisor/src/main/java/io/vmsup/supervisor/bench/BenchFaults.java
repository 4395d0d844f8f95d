package io.vmsup.supervisor.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vmsup.qmp.QmpClient;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.qmp.QmpOptions;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code vmsup bench faults}: how fast the QMP client notices what goes wrong (QmpFaultTest, QmpProcessFaultIT used
 * to bound these with wall-clock limits): a command timeout and a greeting timeout beside the configured value, and
 * a SIGKILLed QEMU failing every pending command beside the JDK's own exit notice. Median of {@link #ROUNDS} rounds.
 */
public final class BenchFaults {

  static final int ROUNDS = 5;
  static final int PENDING = 50;
  static final Duration TIMEOUT = Duration.ofMillis(300);

  private BenchFaults() {
  }

  public static int run(PrintStream out, PrintStream err) {
    BenchTable table = new BenchTable("faults: the QMP client against real QEMU (-machine none) and a silent peer");
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    Path dir = null;
    try {
      dir = Files.createTempDirectory("vmsup-bench-faults-");
      err.println("bench faults: command timeout, greeting timeout, SIGKILL with " + PENDING + " pending; "
          + ROUNDS + " rounds each");
      List<Long> commandTimeouts = new ArrayList<>();
      List<Long> greetingTimeouts = new ArrayList<>();
      List<Long> closed = new ArrayList<>();
      List<Long> exited = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        commandTimeouts.add(commandTimeout(vertx, dir.resolve("t" + i)));
        greetingTimeouts.add(greetingTimeout(vertx, dir.resolve("silent" + i + ".sock")));
        sigkill(vertx, dir.resolve("k" + i), closed, exited);
      }
      table.row("command timeout fires after (ms)", median(commandTimeouts), TIMEOUT.toMillis(), "the timeout set");
      table.row("greeting timeout fires after (ms)", median(greetingTimeouts), TIMEOUT.toMillis(), "the timeout set");
      table.row("SIGKILL -> last of " + PENDING + " pending failed closed (ms)", median(closed), median(exited),
          "SIGKILL -> JDK onExit of that QEMU");
      table.print(out);
      return 0;
    } catch (Exception e) {
      err.println("vmsup bench faults: failed: " + e);
      return 1;
    } finally {
      close(vertx, dir);
    }
  }

  /** A SIGSTOPped QEMU: the time until a command with a {@link #TIMEOUT} fails. */
  private static long commandTimeout(Vertx vertx, Path dir) throws Exception {
    try (BenchQemu qemu = BenchQemu.start(dir)) {
      QmpClient client = connect(vertx, qemu);
      SupervisionRig.signal(qemu.pid(), "STOP");
      long t0 = System.nanoTime();
      long took = SupervisionRig.await(client.execute(QmpCommands.queryStatus(), TIMEOUT)
          .transform(ar -> Future.succeededFuture(System.nanoTime() - t0)));
      SupervisionRig.signal(qemu.pid(), "CONT");
      SupervisionRig.await(client.close());
      return took;
    }
  }

  /** A peer that accepts and never greets: the time until the connect fails. */
  private static long greetingTimeout(Vertx vertx, Path socket) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          return server.accept();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      long t0 = System.nanoTime();
      long took = SupervisionRig.await(QmpClient.connect(vertx, socket, QmpOptions.defaults()
          .withGreetingTimeout(TIMEOUT)).transform(ar -> Future.succeededFuture(System.nanoTime() - t0)));
      accepted.get(10, TimeUnit.SECONDS).close();
      return took;
    }
  }

  /** A SIGSTOPped QEMU with {@link #PENDING} commands pending, then SIGKILL. */
  private static void sigkill(Vertx vertx, Path dir, List<Long> closed, List<Long> exited) throws Exception {
    try (BenchQemu qemu = BenchQemu.start(dir)) {
      QmpClient client = connect(vertx, qemu);
      SupervisionRig.signal(qemu.pid(), "STOP");
      List<Future<Long>> failed = new ArrayList<>();
      long[] t0 = new long[1];
      for (int i = 0; i < PENDING; i++) {
        failed.add(client.execute(QmpCommands.queryStatus(), Duration.ofSeconds(30))
            .transform(ar -> Future.succeededFuture(System.nanoTime() - t0[0])));
      }
      ProcessHandle p = qemu.process().toHandle();
      long[] exitAt = new long[1];
      CompletableFuture<ProcessHandle> exit = p.onExit().whenComplete((h, e) -> exitAt[0] = System.nanoTime());
      t0[0] = System.nanoTime();
      p.destroyForcibly();
      List<Long> each = SupervisionRig.await(Future.all(failed).map(all -> all.<Long>list()));
      exit.get(10, TimeUnit.SECONDS);
      closed.add(each.stream().mapToLong(Long::longValue).max().orElseThrow());
      exited.add(exitAt[0] - t0[0]);
    }
  }

  private static QmpClient connect(Vertx vertx, BenchQemu qemu) throws Exception {
    Context ctx = vertx.getOrCreateContext();
    return SupervisionRig.await(BenchQmp.connect(vertx, ctx, qemu.socket(), System.nanoTime()
        + TimeUnit.SECONDS.toNanos(10)));
  }

  private static double median(List<Long> nanos) {
    return Percentiles.of(nanos).p50Ms();
  }

  private static void close(Vertx vertx, Path dir) {
    try {
      SupervisionRig.await(vertx.close());
      if (dir != null) {
        try (var files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    } catch (Exception e) {
      // best effort: a temp directory left behind
    }
  }
}

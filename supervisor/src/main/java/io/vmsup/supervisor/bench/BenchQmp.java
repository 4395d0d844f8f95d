package io.vmsup.supervisor.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vmsup.qmp.QmpClient;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.qmp.QmpConnectException;
import io.vmsup.qmp.QmpOptions;
import io.vmsup.qmp.StatusInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code vmsup bench qmp}: {@code query-status} round trips (sequential p50/p99) and pipelined throughput against real
 * QEMU, for our Vert.x client and for the simplest blocking JDK client, in the same run and the same JVM. Each client
 * has a QEMU of its own (they swap every round) and both stay connected through a round, whose work alternates between
 * them in short blocks, so a machine whose load moves within seconds loads both alike. The first {@link #WARM_UP}
 * rounds are a warm-up; each figure reported is the median of the measured rounds.
 */
public final class BenchQmp {

  static final int SEQUENTIAL = 3_000;
  static final int PIPELINED = 10_000;
  /** Round trips, then pipelined commands, per block: about 50 ms and 300 ms of either client's work. */
  static final int SEQUENTIAL_BLOCK = 250;
  static final int PIPELINED_BLOCK = 2_000;
  static final int ROUNDS = 6;
  /** Rounds before measuring: the JIT needs ~3 rounds before the client's CPU per command settles. */
  static final int WARM_UP = 3;

  private final PrintStream err;

  private BenchQmp(PrintStream err) {
    this.err = err;
  }

  public static int run(PrintStream out, PrintStream err) {
    try {
      return new BenchQmp(err).measure(out);
    } catch (Exception e) {
      err.println("vmsup bench qmp: failed: " + e);
      return 1;
    }
  }

  private int measure(PrintStream out) throws Exception {
    String load = loadAverage();
    Path dir = Files.createTempDirectory("vmsup-bench-qmp-");
    progress("starting two qemu-system-x86_64 -machine none, one per client (logs " + dir + "/q*/qemu.log)");
    List<BenchQemu> qemus = List.of(BenchQemu.start(dir.resolve("q1")), BenchQemu.start(dir.resolve("q2")));
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      List<QmpRoundFigures> ours = new ArrayList<>();
      List<QmpRoundFigures> jdk = new ArrayList<>();
      String[] about = new String[2];
      for (int round = 1; round <= ROUNDS; round++) {
        String label = "round " + round + "/" + ROUNDS + (round <= WARM_UP ? " (warm-up)" : "");
        progress(label + ": both clients, " + SEQUENTIAL + " sequential + " + PIPELINED + " pipelined each, in blocks of "
            + SEQUENTIAL_BLOCK + " and " + PIPELINED_BLOCK + " alternating");
        QmpRoundFigures[] both = round(vertx, qemus.get(round % 2), qemus.get(1 - round % 2), about);
        progress(label + ": " + both[0].describe("vmsup"));
        progress(label + ": " + both[1].describe("JDK"));
        if (round > WARM_UP) {
          ours.add(both[0]);
          jdk.add(both[1]);
        }
      }
      out.printf(Locale.ROOT, "host: %d CPUs, load average %s at start, %s after%n",
          Runtime.getRuntime().availableProcessors(), load, loadAverage());
      print(out, about[0], about[1], QmpRoundFigures.median(ours), QmpRoundFigures.median(jdk));
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      for (BenchQemu q : qemus) {
        q.close();
      }
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One round: the vmsup client on {@code forOurs}, the JDK client on {@code forJdk}, their blocks alternating. */
  private static QmpRoundFigures[] round(Vertx vertx, BenchQemu forOurs, BenchQemu forJdk, String[] about)
      throws Exception {
    Context ctx = vertx.getOrCreateContext();
    QmpClient client = SupervisionRig.await(connect(vertx, ctx, forOurs.socket(), System.nanoTime()
        + TimeUnit.SECONDS.toNanos(10)));
    about[0] = client.greeting().version().toString();
    about[1] = client.transport();
    Promise<Long> loop = Promise.promise();
    ctx.runOnContext(v -> loop.complete(Thread.currentThread().getId()));
    long loopThread = SupervisionRig.await(loop.future());
    long self = Thread.currentThread().getId();
    QmpTally ours = new QmpTally(SEQUENTIAL);
    QmpTally jdk = new QmpTally(SEQUENTIAL);
    try (BlockingQmpClient blocking = new BlockingQmpClient(forJdk.socket())) {
      for (int done = 0; done < SEQUENTIAL; done += SEQUENTIAL_BLOCK) {
        ours.begin(loopThread);
        ours.sequential(SupervisionRig.await(sequential(ctx, client, SEQUENTIAL_BLOCK)));
        ours.end(0);
        jdk.begin(self);
        jdk.sequential(sequential(blocking, SEQUENTIAL_BLOCK));
        jdk.end(0);
      }
      for (int done = 0; done < PIPELINED; done += PIPELINED_BLOCK) {
        ours.begin(loopThread);
        ours.pipelined(PIPELINED_BLOCK, SupervisionRig.await(pipelined(ctx, client, PIPELINED_BLOCK)));
        ours.end(0);
        jdk.begin(self);
        long[] writerCpu = new long[1];
        jdk.pipelined(PIPELINED_BLOCK, pipelined(blocking, PIPELINED_BLOCK, writerCpu));
        jdk.end(writerCpu[0]);
      }
    }
    SupervisionRig.await(client.close());
    return new QmpRoundFigures[] {ours.figures(), jdk.figures()};
  }

  static Future<QmpClient> connect(Vertx vertx, Context ctx, Path socket, long deadline) {
    Promise<QmpClient> promise = Promise.promise();
    ctx.runOnContext(v -> QmpClient.connect(vertx, socket, QmpOptions.defaults()).onComplete(ar -> {
      if (ar.succeeded()) {
        promise.complete(ar.result());
      } else if (ar.cause() instanceof QmpConnectException c && System.nanoTime() < deadline
          && (c.kind() == QmpConnectException.Kind.NO_SOCKET || c.kind() == QmpConnectException.Kind.REFUSED)) {
        vertx.setTimer(5, t -> connect(vertx, ctx, socket, deadline).onComplete(promise));
      } else {
        promise.fail(ar.cause());
      }
    }));
    return promise.future();
  }

  /** {@code n} commands one at a time, each sent from the reply callback of the previous one (on the event loop). */
  private static Future<long[]> sequential(Context ctx, QmpClient client, int n) {
    long[] samples = new long[n];
    Promise<long[]> done = Promise.promise();
    ctx.runOnContext(v -> next(client, samples, 0, done));
    return done.future();
  }

  private static void next(QmpClient client, long[] samples, int i, Promise<long[]> done) {
    long start = System.nanoTime();
    client.execute(QmpCommands.queryStatus()).onComplete(ar -> {
      samples[i] = System.nanoTime() - start;
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (i + 1 < samples.length) {
        next(client, samples, i + 1, done);
      } else {
        done.complete(samples);
      }
    });
  }

  /** {@code n} commands written at once; nanoseconds until the last reply. */
  private static Future<Long> pipelined(Context ctx, QmpClient client, int n) {
    Promise<Long> done = Promise.promise();
    ctx.runOnContext(v -> {
      long start = System.nanoTime();
      List<Future<StatusInfo>> all = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        all.add(client.execute(QmpCommands.queryStatus()));
      }
      Future.all(all).onComplete(ar -> {
        if (ar.failed()) {
          done.fail(ar.cause());
        } else {
          done.complete(System.nanoTime() - start);
        }
      });
    });
    return done.future();
  }

  private static long[] sequential(BlockingQmpClient client, int n) throws IOException {
    long[] samples = new long[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      client.write("{\"execute\": \"query-status\", \"id\": " + i + "}");
      client.readReply();
      samples[i] = System.nanoTime() - start;
    }
    return samples;
  }

  /** A writer thread sends {@code n} commands while this thread reads the replies; nanoseconds until the last. */
  private static long pipelined(BlockingQmpClient client, int n, long[] writerCpu) throws Exception {
    long start = System.nanoTime();
    IOException[] writeFailure = new IOException[1];
    Thread writer = new Thread(() -> {
      try {
        for (int i = 0; i < n; i++) {
          client.write("{\"execute\": \"query-status\", \"id\": " + i + "}");
        }
      } catch (IOException e) {
        writeFailure[0] = e;
      }
      writerCpu[0] = QmpRoundFigures.currentThreadNanos(); // the thread ends before the block's CPU is read
    }, "bench-qmp-writer");
    writer.start();
    for (int i = 0; i < n; i++) {
      client.readReply();
    }
    long nanos = System.nanoTime() - start;
    writer.join();
    if (writeFailure[0] != null) {
      throw writeFailure[0];
    }
    return nanos;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private void progress(String line) {
    err.println("bench qmp: " + line);
  }

  private static void print(PrintStream out, String version, String transport, QmpRoundFigures ours, QmpRoundFigures jdk) {
    out.printf(Locale.ROOT, "QMP client: query-status against one QEMU %s (-machine none); vmsup client on %s%n",
        version, transport);
    out.printf(Locale.ROOT, "JVM (both clients, one process): %s%n", jitFlags());
    out.printf(Locale.ROOT, "sequential: %d round trips; pipelined: %d commands, %d written at once; each client on a "
        + "QEMU of its own, blocks alternating; median of %d rounds after %d warm-up rounds; both clients negotiate "
        + "oob%n%n", SEQUENTIAL, PIPELINED, PIPELINED_BLOCK, ROUNDS - WARM_UP, WARM_UP);
    out.printf(Locale.ROOT, "%-28s %14s %14s %10s%n", "figure", "vmsup (Vert.x)", "JDK blocking", "vmsup/JDK");
    row(out, "sequential p50 (us)", ours.p50Micros(), jdk.p50Micros());
    row(out, "sequential p99 (us)", ours.p99Micros(), jdk.p99Micros());
    row(out, "pipelined (commands/s)", ours.perSecond(), jdk.perSecond());
    row(out, "client CPU per command (us)", ours.cpuMicros(), jdk.cpuMicros());
    row(out, "  client's own threads (us)", ours.threadCpuMicros(), jdk.threadCpuMicros());
    out.println();
    out.println("latency and CPU: a ratio above 1 means vmsup costs more; throughput: above 1 means vmsup is faster");
    out.println("client CPU: this JVM's CPU time (all threads) while the client's blocks ran, per command; QEMU's not");
    out.println("included; client's own threads: vmsup's event loop, the JDK client's reader and writer (no JIT, no GC)");
  }

  /** The JIT and heap flags this JVM runs with, and whether they are the daemon's (C1 only, as {@code ./vmsup} runs it). */
  static String jitFlags() {
    List<String> flags = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(f -> f.startsWith("-XX:") || f.startsWith("-Xm") || f.startsWith("-Xs")).toList();
    boolean c1Only = "1".equals(java.lang.management.ManagementFactory.getPlatformMXBean(
        com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("TieredStopAtLevel").getValue());
    return String.join(" ", flags) + (c1Only ? " (the daemon's JIT: C1 only)"
        : " (NOT the daemon's JIT, C1 only: run it through ./vmsup bench qmp)");
  }

  private static void row(PrintStream out, String name, double ours, double jdk) {
    out.printf(Locale.ROOT, "%-28s %14.1f %14.1f %10.2f%n", name, ours, jdk, ours / jdk);
  }
}

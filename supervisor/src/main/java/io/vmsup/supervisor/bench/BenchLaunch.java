package io.vmsup.supervisor.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vmsup.qmp.QmpObserver;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.api.SupervisorOptions;
import io.vmsup.supervisor.link.QmpConnector;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code vmsup bench launch}: raw QEMU spawn → QMP ready versus {@code vmsup.vm.create}+{@code start} → RUNNING, one
 * at a time and many at once; SIGKILL → CRASHED event latency; daemon heap per supervised VM. Runs a supervisor
 * in-process on a temporary state directory and kills every QEMU it started.
 */
public final class BenchLaunch {

  private static final int WARMUP = 5;

  private final PrintStream out;
  private final PrintStream err;
  private final int samples;
  private final int wantedVms;
  private final String qemu;

  private BenchLaunch(PrintStream out, PrintStream err, int samples, int vms, String qemu) {
    this.out = out;
    this.err = err;
    this.samples = samples;
    this.wantedVms = vms;
    this.qemu = qemu;
  }

  /** Direct entry: {@code java -cp vmsup.jar io.vmsup.supervisor.bench.BenchLaunch [ARGS]}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** {@code bench launch [--samples N] [--vms N] [--qemu BINARY]}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    int samples = 50;
    int vms = 200;
    String qemu = "qemu-system-x86_64";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--samples" -> samples = Integer.parseInt(args[++i]);
        case "--vms" -> vms = Integer.parseInt(args[++i]);
        case "--qemu" -> qemu = args[++i];
        default -> {
          err.println("usage: vmsup bench launch [--samples N] [--vms N] [--qemu BINARY]");
          return 2;
        }
      }
    }
    try {
      return new BenchLaunch(out, err, samples, vms, qemu).run();
    } catch (Exception e) {
      err.println("bench launch failed: " + e);
      return 1;
    }
  }

  private int run() throws Exception {
    Path dir = Files.createTempDirectory("vmsup-bench-");
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    QmpConnector connector = QmpConnector.create(vertx, Duration.ofSeconds(10), vm -> QmpObserver.NOOP);
    LaunchRuns runs = new LaunchRuns(vertx, connector, qemu, dir, err);
    try {
      out.println("# vmsup bench launch — " + Runtime.getRuntime().availableProcessors() + " CPUs, QEMU " + qemu
          + ", -machine none");
      Supervisor sup = await(Supervisor.start(vertx, SupervisorOptions.defaults().withStateDir(dir.resolve("state"))
          .withQemuBinary(qemu)));
      err.println("bench: warm-up (" + WARMUP + " unmeasured launches each) ...");
      runs.interleaved(WARMUP, "warm-");
      runs.clear();
      runs.interleaved(samples, "");
      Percentiles raw = Percentiles.of(runs.rawTimes);
      Percentiles viaSup = Percentiles.of(runs.supervisedTimes);
      out.println();
      out.println("## one at a time (" + samples + " samples each, raw and vmsup alternating)");
      out.println("raw spawn -> QMP ready          " + raw.row());
      out.println("vmsup create+start -> RUNNING   " + viaSup.row());
      out.printf("ratio vmsup/raw                 p50 %.2fx   p99 %.2fx%n", viaSup.p50Ms() / raw.p50Ms(),
          viaSup.p99Ms() / raw.p99Ms());
      out.println("  of which create (durable)     " + Percentiles.of(runs.createTimes).row());
      out.println("  of which start  (durable)     " + Percentiles.of(runs.startTimes).row());
      out.println("    inside start: spawn->ready  " + Percentiles.of(runs.spawnToReady).row());

      int n = affordableVms();
      LaunchRuns.Burst rawBurst = runs.rawBurst(n);
      long heapBefore = usedHeapAfterGc();
      LaunchRuns.Burst supBurst = runs.supervisedBurst(n);
      long heapAfter = usedHeapAfterGc();
      out.println();
      out.println("## " + n + " at once");
      out.println("raw spawn -> QMP ready          " + rawBurst.each().row() + "   all ready "
          + String.format("%.0f ms", rawBurst.totalMs()));
      out.println("vmsup create+start -> RUNNING   " + supBurst.each().row() + "   all RUNNING "
          + String.format("%.0f ms", supBurst.totalMs()));
      out.printf("ratio vmsup/raw                 p50 %.2fx   p99 %.2fx   all %.2fx%n",
          supBurst.each().p50Ms() / rawBurst.each().p50Ms(), supBurst.each().p99Ms() / rawBurst.each().p99Ms(),
          supBurst.totalMs() / rawBurst.totalMs());
      out.printf("daemon heap per supervised VM   %.1f KiB (used heap after GC, %d VMs: %.1f MiB -> %.1f MiB)%n",
          (heapAfter - heapBefore) / 1024.0 / n, n, heapBefore / 1048576.0, heapAfter / 1048576.0);

      Percentiles crash = Percentiles.of(runs.crashLatencies(Math.min(n, 100)));
      out.println();
      out.println("## crash detection");
      out.println("SIGKILL -> CRASHED event        " + crash.row());
      await(sup.shutdown());
      return 0;
    } finally {
      runs.killAll();
      await(vertx.close());
      deleteTree(dir);
    }
  }

  /** 200 idle {@code -machine none} QEMUs need ~40 MB RSS each, twice over (raw, then supervised, one after the other). */
  private int affordableVms() throws Exception {
    long availKb = 0;
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemAvailable:")) {
        availKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    long perVmKb = 40 * 1024;
    int fits = (int) Math.max(10, availKb / 2 / perVmKb);
    if (fits < wantedVms) {
      out.println("# using " + fits + " VMs instead of " + wantedVms + ": MemAvailable " + availKb / 1024
          + " MiB, ~40 MiB per idle QEMU, keeping half of it free for others");
      return fits;
    }
    return wantedVms;
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return SupervisionRig.await(f, Duration.ofSeconds(300));
  }
}

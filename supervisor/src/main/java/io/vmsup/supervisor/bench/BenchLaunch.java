package io.vmsup.supervisor.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.StartSettings;
import io.vmsup.supervisor.api.SupervisorOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vmsup bench launch}: the daemon's launch argv spawned raw with QEMU connecting back (no polling) → QMP ready,
 * against {@code vmsup.vm.create}+{@code start} → RUNNING, one at a time and N at once (with the start queue, and
 * unbounded); stop and kill → STOPPED; SIGKILL → CRASHED; a kill -9 of all N → all CRASHED; daemon heap per VM. Runs
 * supervisors in-process on a temporary state directory and kills every QEMU it started.
 */
public final class BenchLaunch {

  private static final int WARMUP = 5;
  /** Warm-up rounds go on while the JIT compilers take more than this per launch (ms), up to {@link #MAX_WARMUP}. */
  private static final double SETTLED_JIT_MS = 1.0;
  private static final int MAX_WARMUP = 100;

  private final PrintStream out;
  private final PrintStream err;
  private final LaunchArgs args;
  private String warmUp = "";

  private BenchLaunch(PrintStream out, PrintStream err, LaunchArgs args) {
    this.out = out;
    this.err = err;
    this.args = args;
  }

  /** Direct entry: {@code java -cp vmsup.jar io.vmsup.supervisor.bench.BenchLaunch [ARGS]}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** {@code bench launch} with {@link LaunchArgs#USAGE}'s options; returns the exit status. */
  public static int run(String[] argv, PrintStream out, PrintStream err) {
    if (java.util.Arrays.asList(argv).contains("--help") || java.util.Arrays.asList(argv).contains("-h")) {
      out.print(LaunchArgs.USAGE);
      return 0;
    }
    LaunchArgs a;
    try {
      a = LaunchArgs.parse(argv);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(LaunchArgs.USAGE);
      return 2;
    }
    try {
      return new BenchLaunch(out, err, a).run();
    } catch (Exception e) {
      err.println("bench launch failed: " + e);
      return 1;
    }
  }

  private int run() throws Exception {
    Path dir = Files.createTempDirectory("vmsup-bench-");
    Rig main = Rig.start(dir.resolve("state"), args, args.starts(), null, err);
    try {
      out.println("launch: QEMU " + args.qemu() + " (-machine none) under an in-process daemon; " + LaunchArgs.host()
          + "; maxConcurrentStarts " + args.startsNote());
      out.println(LaunchArgs.limits(args.plain()));
      // the raw QEMUs' directories are placed like the daemon's VM directories (StateStore.init marks vms/): a fair
      // baseline, since QEMU creates its socket and pid file in its directory on either side
      Files.createDirectories(dir.resolve("raw"));
      boolean spread = io.vmsup.supervisor.store.SpreadDirs.mark(dir.resolve("raw"));
      out.println("directories: the daemon's vms/ and the raw side's parent " + (spread
          ? "spread new subdirectories over the file system's block groups (chattr +T)" : "are plain (not ext2/3/4)"));
      await(main.runs.request(Addresses.CREATE, new JsonObject().put("name", "ref")
          .put("machine", new JsonObject().put("type", "none"))));
      JsonObject render = await(main.runs.request(Addresses.RENDER, "ref"));
      List<String> argv = render.getJsonArray("argv").getList();
      RawLaunch raw = new RawLaunch(main.vertx, argv, dir.resolve("state/vms/ref"));
      main.raw(raw, dir);
      oneAtATime(main);
      ends(main, raw, dir);
      for (int i = 0; i < args.bursts().size(); i++) {
        bursts(main, dir, LaunchArgs.affordable(args.bursts().get(i), out),
            args.unbounded() && (i == 0 || args.unboundedAll()));
      }
      return 0;
    } finally {
      main.close();
      BenchLeftovers.killUnder(dir);
      deleteTree(dir);
    }
  }

  private void oneAtATime(Rig main) throws Exception {
    err.println("bench: warm-up (" + WARMUP + " unmeasured launches each, more until the JIT compilers settle) ...");
    int warm = 0;
    double jit;
    do {
      main.runs.clear();
      main.runs.interleaved(WARMUP, "warm" + warm + "-");
      warm += WARMUP;
      jit = (main.runs.cpu.jitMs[1] + main.runs.cpu.jitMs[2]) / 2.0 / WARMUP;
    } while (jit > SETTLED_JIT_MS && warm < MAX_WARMUP);
    warmUp = String.format("warm-up: %d launches of each kind (the JIT compiler threads' CPU per vmsup launch in the"
        + " last %d: %.2f ms; rounds go on above %.1f ms, at most %d)", warm, WARMUP, jit, SETTLED_JIT_MS, MAX_WARMUP);
    main.runs.clear();
    main.runs.interleaved(args.samples(), "");
    Percentiles raw = Percentiles.of(main.runs.rawTimes);
    Percentiles viaSup = Percentiles.of(main.runs.supervisedTimes);
    out.println();
    out.println("## one at a time (" + args.samples() + " samples each, raw, vmsup and vmsup in one request"
        + " alternating)");
    out.println(warmUp);
    out.println("raw spawn -> QMP ready           " + raw.row());
    out.println("vmsup create+start -> RUNNING    " + viaSup.row());
    out.printf("ratio vmsup/raw                  p50 %.2fx   p99 %.2fx   (target <= 1.15x)%n",
        viaSup.p50Ms() / raw.p50Ms(), viaSup.p99Ms() / raw.p99Ms());
    out.println("  of which create (durable)      " + Percentiles.of(main.runs.createTimes).row());
    out.println("  of which start  (durable)      " + Percentiles.of(main.runs.startTimes).row());
    out.println("    inside start: turn->ready    " + Percentiles.of(main.runs.spawnToReady).row());
    Percentiles one = Percentiles.of(main.runs.oneRequestTimes);
    out.println("vmsup create+start, one request " + one.row());
    out.printf("ratio one request/raw            p50 %.2fx   p99 %.2fx   (target <= 1.15x)%n",
        one.p50Ms() / raw.p50Ms(), one.p99Ms() / raw.p99Ms());
    int n = args.samples();
    LaunchCpu c = main.runs.cpu;
    out.printf("this JVM's CPU per launch (ms)   raw %.2f   two requests %.2f   one request %.2f"
        + "   (of which the JIT compiler threads %.2f / %.2f / %.2f)%n", c.cpuNanos[0] / 1e6 / n,
        c.cpuNanos[1] / 1e6 / n, c.cpuNanos[2] / 1e6 / n, (double) c.jitMs[0] / n, (double) c.jitMs[1] / n,
        (double) c.jitMs[2] / n);
  }

  private void ends(Rig main, RawLaunch raw, Path dir) throws Exception {
    err.println("bench: stop and kill, " + args.ends() + " each ...");
    LaunchEnds ends = new LaunchEnds(main.runs, raw, dir);
    LaunchEnds.Ends stops = ends.stops(args.ends());
    LaunchEnds.Ends kills = ends.kills(args.ends());
    out.println();
    out.println("## stop and kill (" + args.ends() + " each, alternating with the baseline)");
    out.println("vmsup stop (grace 0) -> STOPPED  " + Percentiles.of(stops.vmsup()).row());
    out.println("raw quit -> exit                 " + Percentiles.of(stops.raw()).row());
    out.println("vmsup kill -> STOPPED            " + Percentiles.of(kills.vmsup()).row());
    out.println("raw SIGKILL -> exit              " + Percentiles.of(kills.raw()).row());
  }

  private void bursts(Rig main, Path dir, int n, boolean withUnbounded) throws Exception {
    List<Double> rawKill = new ArrayList<>();
    BurstCpu r0 = BurstCpu.now();
    LaunchRuns.Burst rawBurst = main.runs.rawBurst(n, rawKill);
    BurstCpu rawCpu = BurstCpu.now().since(r0);
    long heapBefore = usedHeapAfterGc();
    BurstThreads t0 = BurstThreads.now();
    BurstCpu s0 = BurstCpu.now();
    LaunchRuns.Burst supBurst = main.runs.supervisedBurst(n, "b" + n);
    BurstCpu supCpu = BurstCpu.now().since(s0);
    BurstThreads t1 = BurstThreads.now();
    long heapAfter = usedHeapAfterGc();
    Percentiles crash = Percentiles.of(main.runs.crashLatencies(Math.min(n / 10, 100)));
    double supKill = main.runs.killAllUntilCrashed();
    LaunchRuns.Burst free = null;
    double freeKill = Double.NaN;
    if (withUnbounded) {
      Rig unbounded = Rig.start(dir.resolve("state-unbounded-" + n), args,
          new StartSettings(StartSettings.MAX), main.raw, err);
      try {
        free = unbounded.runs.supervisedBurst(n, "u" + n);
        freeKill = unbounded.runs.killAllUntilCrashed();
      } finally {
        unbounded.close();
      }
    }
    out.println();
    out.println("## " + n + " at once");
    out.println("raw spawn -> QMP ready           " + rawBurst.each().row() + "   all ready "
        + String.format("%.0f ms", rawBurst.totalMs()));
    failures("raw", rawBurst, n, "not ready");
    out.println((args.oneRequest() ? "vmsup one request -> RUNNING     " : "vmsup create+start -> RUNNING    ")
        + supBurst.each().row() + "   all RUNNING "
        + String.format("%.0f ms", supBurst.totalMs()));
    failures("vmsup", supBurst, n, "failed to start");
    if (supBurst.created().n() > 0) {
      out.println("  create answered (durable)      " + supBurst.created().row() + "   (since the burst began)");
    }
    out.printf("ratio vmsup/raw                  p50 %.2fx   p99 %.2fx   all %.2fx   (target: all <= 1.0x)%n",
        supBurst.each().p50Ms() / rawBurst.each().p50Ms(), supBurst.each().p99Ms() / rawBurst.each().p99Ms(),
        supBurst.totalMs() / rawBurst.totalMs());
    out.printf("bench JVM CPU per VM (ms)        vmsup %.2f (JIT %.2f)   raw side %.2f (JIT %.2f)   (daemon in-process;"
        + " QEMU and the spawner not counted)%n", supCpu.msPer(n), supCpu.jitMsPer(n), rawCpu.msPer(n),
        rawCpu.jitMsPer(n));
    out.println("  by thread (ms per VM)          " + t1.rowSince(t0, n));
    out.println("  thread waits per VM            " + t1.switchesSince(t0, n) + " (voluntary context switches)");
    if (free != null) {
      out.println("vmsup, start queue unbounded     " + free.each().row() + "   all RUNNING "
          + String.format("%.0f ms", free.totalMs()));
      failures("vmsup unbounded", free, n, "failed to start");
      out.printf("queue (%d) / unbounded, all RUNNING   %.2fx%n", args.starts().maxConcurrent(),
          supBurst.totalMs() / free.totalMs());
    }
    out.printf("daemon heap per supervised VM    %.1f KiB (used heap after GC, %d VMs: %.1f MiB -> %.1f MiB)%n",
        (heapAfter - heapBefore) / 1024.0 / n, n, heapBefore / 1048576.0, heapAfter / 1048576.0);
    out.println("SIGKILL -> CRASHED event, one at a time   " + crash.row());
    out.printf("kill -9 of all %d -> all CRASHED    %.0f ms   (raw: all exits seen %.0f ms%s; target 2000 ms for"
        + " 1,000)%n", Math.max(0, n - supBurst.failed() - Math.min(n / 10, 100)), supKill, rawKill.get(0),
        free != null ? String.format("; unbounded rig %.0f ms", freeKill) : "");
  }

  /** A burst's launches that did not get there: counted by kind, left out of the row above (never waited for). */
  private void failures(String side, LaunchRuns.Burst b, int n, String what) {
    if (b.failed() > 0) {
      out.println("  " + side + ": " + b.failed() + " of " + n + " " + what + " (not in the row, not waited for): "
          + b.why());
    }
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
    return SupervisionRig.await(f, Duration.ofSeconds(600));
  }

  /** A Vert.x instance with a supervisor on it, and the runs against it. */
  private static final class Rig {
    final Vertx vertx;
    final Supervisor sup;
    LaunchRuns runs;
    RawLaunch raw;
    final Path dir;
    final PrintStream err;
    final boolean oneRequest;

    private Rig(Vertx vertx, Supervisor sup, Path dir, PrintStream err, boolean oneRequest) {
      this.vertx = vertx;
      this.sup = sup;
      this.dir = dir;
      this.err = err;
      this.oneRequest = oneRequest;
    }

    static Rig start(Path state, LaunchArgs args, StartSettings starts, RawLaunch raw, PrintStream err)
        throws Exception {
      Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
      SupervisorOptions.Builder o = SupervisorOptions.defaults().withStateDir(state).withQemuBinary(args.qemu())
          .toBuilder().starts(starts);
      if (args.plain()) {
        o.qemuUids(null).cgroups(io.vmsup.supervisor.cgroup.CgroupMode.OFF);
      }
      Supervisor sup = await(Supervisor.start(vertx, o.build()));
      Rig r = new Rig(vertx, sup, state.getParent(), err, args.oneRequest());
      r.raw(raw, state.getParent());
      return r;
    }

    void raw(RawLaunch raw, Path benchDir) {
      this.raw = raw;
      this.runs = new LaunchRuns(vertx, raw, benchDir, err);
      this.runs.burstsInOneRequest = oneRequest;
    }

    void close() throws Exception {
      try {
        await(sup.shutdown());
      } finally {
        await(vertx.close());
      }
    }
  }
}

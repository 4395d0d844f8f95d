package io.vmsup.supervisor.bench;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.daemon.Daemon;
import io.vmsup.supervisor.daemon.DaemonConfig;
import io.vmsup.supervisor.daemon.SupervisorBinding;
import io.vmsup.supervisor.policy.PassthroughMode;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code vmsup bench scale [--vms N]}: N simulated VMs ({@code qmp-sim}, launched through the {@code qemu} setting
 * exactly like QEMU) under one in-process daemon; prints each per-VM cost beside the target. The simulator's
 * path comes from {@code VMSUP_QMP_SIM} ({@code ./vmsup bench scale} builds it and raises the descriptor limit).
 */
final class BenchScale {

  private static final int SSE_CLIENTS = 100;
  private static final int SSE_VMS = 100;
  private static final int START_IN_FLIGHT = 32;
  private static final java.util.logging.Logger EVENT_LOG =
      java.util.logging.Logger.getLogger("vmsup.events");

  private BenchScale() {
  }

  static final String USAGE = "usage: vmsup bench scale [--vms N] [--plain] [--rest S]\n  --vms    simulated VMs"
      + " (default 10,000;"
      + " fewer when the open-file limit cannot hold them)\n  --plain  QEMU as the daemon's user, no cgroup (as root"
      + " the daemon's defaults are a uid per VM and a cgroup each)\n  --rest   seconds the daemon's CPU at rest is"
      + " measured over (default 30)";

  static int run(String[] args, PrintStream out, PrintStream err) {
    int vms = 10_000;
    boolean plain = false;
    int rest = 30;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      try {
        switch (args[i]) {
          case "--vms" -> vms = Integer.parseInt(args[++i]);
          case "--plain" -> plain = true;
          case "--rest" -> rest = Integer.parseInt(args[++i]);
          case "--help", "-h" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        }
        if (vms < 1) {
          throw new IllegalArgumentException("--vms must be at least 1");
        }
        if (rest < 5) {
          throw new IllegalArgumentException("--rest must be at least 5 (seconds)");
        }
      } catch (RuntimeException e) {
        err.println("vmsup bench scale: " + (e instanceof NumberFormatException || e instanceof
            ArrayIndexOutOfBoundsException ? option + " needs a whole number" : e.getMessage()) + "\n" + USAGE);
        return 2;
      }
    }
    String sim = System.getenv("VMSUP_QMP_SIM");
    if (sim == null || !Files.isExecutable(Path.of(sim))) {
      err.println("vmsup bench scale: set VMSUP_QMP_SIM to the simulator (./vmsup bench scale does: it builds"
          + " qmp-sim/target/qmp-sim with scripts/build-qmp-sim)");
      return 2;
    }
    int fits = ScaleRig.vmsWithinDescriptorLimit();
    if (vms > fits) {
      err.printf("bench scale: %d VMs do not fit: each holds %d descriptor (its QMP connection) and"
          + " this process may open %d (raising the hard limit needs CAP_SYS_RESOURCE, which this host withholds even"
          + " from root); running %d VMs instead%n", vms, ScaleRig.DESCRIPTORS_PER_VM, ScaleRig.openFileLimit(), fits);
      vms = fits;
    }
    try {
      boolean root = "0".equals(String.valueOf(new com.sun.security.auth.module.UnixSystem().getUid()));
      String how = plain ? "--plain: QEMU as the daemon's user, no cgroup"
          : root ? "as root: a uid per VM and a cgroup each (the daemon's defaults; --plain leaves them out)"
          : "as uid " + new com.sun.security.auth.module.UnixSystem().getUid() + ": QEMU as the daemon's user";
      BenchTable table = new BenchTable("scale: " + vms + " simulated VMs (qmp-sim) under one in-process daemon; "
          + how + "; load average at the start " + BenchQmp.loadAverage()).echoTo(err);
      measure(vms, sim, plain, rest, table, err);
      table.print(out);
      return 0;
    } catch (Exception e) {
      err.println("vmsup bench scale: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static void measure(int vms, String sim, boolean plain, int rest, BenchTable table, PrintStream err)
      throws Exception {
    err.printf("bench scale: %d VMs; open-file limit lets this JVM hold %s descriptors%n", vms,
        System.getenv().getOrDefault("VMSUP_NOFILE", "(unknown)"));
    AtomicLong duringBenchGc = new AtomicLong();
    AtomicLong blocked = ScaleRig.countBlockedThreadWarnings(duringBenchGc);
    // one log line per state change of 10,000 VMs would measure the terminal, not the daemon
    // (held in a field: JUL keeps loggers weakly, and a collected logger forgets its level)
    EVENT_LOG.setLevel(java.util.logging.Level.WARNING);
    Path dir = Files.createTempDirectory("vmsup-bench-scale-");
    DaemonConfig config = new DaemonConfig("127.0.0.1", 0, dir, sim, false, null, null, Duration.ofSeconds(5),
        64 * 1024, List.of(), PassthroughMode.RESTRICTED);
    if (plain) {
      config = config.toBuilder().qemuUids(null).cgroups(io.vmsup.supervisor.cgroup.CgroupMode.OFF).build();
    }
    Daemon daemon = SupervisionRig.await(Daemon.start(config, SupervisorBinding::start));
    try {
      EventBus bus = daemon.vertx().eventBus();
      long heap0 = ScaleRig.heapAfterGc();
      int threads0 = Thread.activeCount();
      long t0 = System.nanoTime();
      ScaleRig.requests(bus, Addresses.CREATE, vms, 64, i -> spec(i), "create", err);
      double createS = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      // the daemon runs a few starts at a time (its start queue, whose wait no longer counts against a start): enough
      // in flight to keep the queue full, not so many that a request waits long behind the others
      ScaleRig.requests(bus, Addresses.START, vms, START_IN_FLIGHT, i -> new JsonObject().put("name", name(i)),
          "start", err);
      double startS = (System.nanoTime() - t0) / 1e9;
      table.row("create, VMs per second", vms / createS, 0, "");
      table.row("start -> RUNNING, VMs per second", vms / startS, 0, "");
      long heap = ScaleRig.heapAfterGc();
      table.row("daemon heap per VM, just started (KiB)", (heap - heap0) / 1024.0 / vms, 50, "target, at most");
      table.row("JVM threads added for " + vms + " VMs", Thread.activeCount() - threads0, 0, "target");
      table.row("open descriptors per VM", ScaleRig.openDescriptors() / (double) vms, 0, "");
      atRest(rest, table, err);
      // after the rest, every VM has been sampled and probed: its steady-state share of the heap
      table.row("daemon heap per VM at rest (KiB)", (ScaleRig.heapAfterGc() - heap0) / 1024.0 / vms, 50,
          "target, at most");
      http(daemon, table, err);
      sse(daemon, table, err);
      crashes(daemon, vms, table, err);
      table.row("blocked-thread warnings", blocked.get(), 0, "target");
      // the bench's own System.gc() for the heap figures stops every thread (seconds on a loaded host): not the daemon's
      table.row("  and within 3 s of the bench's own full GCs (heap rows)", duringBenchGc.get(), 0, "not the daemon's");
    } finally {
      try {
        SupervisionRig.await(daemon.stop(), Duration.ofMinutes(2));
      } catch (java.util.concurrent.TimeoutException e) {
        err.println("bench scale: the daemon did not stop within 2 minutes; killing its simulators anyway");
      }
      for (ProcessHandle p : ProcessHandle.allProcesses().filter(h -> h.info().arguments().map(a ->
          String.join(" ", a).contains(dir.toString())).orElse(false)).toList()) {
        p.destroyForcibly();
      }
      ScaleRig.deleteTree(dir);
    }
  }

  private static void atRest(int restS, BenchTable table, PrintStream err) throws Exception {
    err.printf("  at rest: %d s (every VM's metric sample every 5 s within the daemon's budget, liveness probes)%n",
        restS);
    ThreadCpu threads0 = ThreadCpu.now();
    long c0 = ScaleRig.cpuNanos();
    long w0 = System.nanoTime();
    Thread.sleep(restS * 1000L);
    long wall = System.nanoTime() - w0;
    double percent = 100.0 * (ScaleRig.cpuNanos() - c0) / wall;
    ThreadCpu threads = ThreadCpu.now();
    table.row("daemon CPU at rest, % of one core", percent, 5, "target, at most");
    double listed = 0;
    // every thread of the process, the JVM's own included (GC, JIT): from /proc/self/task
    for (var e : threads.since(threads0, wall).entrySet()) {
      table.row("  of which " + e.getKey(), e.getValue(), 0, "");
      listed += e.getValue();
    }
    table.row("  of which threads that ended meanwhile (and rounding)", percent - listed, 0, "");
    table.row("  garbage collections at rest", threads.gcCountSince(threads0), 0,
        threads.gcMillisSince(threads0) + " ms in them");
    table.row("  JIT compilation at rest (ms, as the JVM counts it)", threads.jitMillisSince(threads0), 0, "");
  }

  private static void http(Daemon daemon, BenchTable table, PrintStream err) throws Exception {
    err.println("  /metrics and list over HTTP, 3 each");
    HttpClient http = HttpClient.newHttpClient();
    String token = daemon.token().value();
    List<Long> metrics = new ArrayList<>();
    List<Long> list = new ArrayList<>();
    long size = 0;
    for (int i = 0; i < 3; i++) {
      long[] m = ScaleRig.get(http, daemon.url(), token, "/metrics");
      metrics.add(m[0]);
      size = m[1];
      list.add(ScaleRig.get(http, daemon.url(), token, "/v1/vms")[0]);
    }
    table.row("/metrics render and transfer, p50 (ms)", Percentiles.of(metrics).p50Ms(), 1000, "target, at most");
    table.row("/metrics size (MiB)", size / 1048576.0, 0, "");
    table.row("GET /v1/vms (list), p50 (ms)", Percentiles.of(list).p50Ms(), 100, "target, at most");
  }

  private static void sse(Daemon daemon, BenchTable table, PrintStream err) throws Exception {
    err.printf("  %d SSE clients; pause and resume %d VMs%n", SSE_CLIENTS, SSE_VMS);
    try (ScaleRig.SseClients clients = new ScaleRig.SseClients(daemon.url(), daemon.token().value(), SSE_CLIENTS)) {
      EventBus bus = daemon.vertx().eventBus();
      long expected = (long) SSE_CLIENTS * SSE_VMS * 2;
      long t0 = System.nanoTime();
      ScaleRig.requests(bus, Addresses.PAUSE, SSE_VMS, 16, i -> new JsonObject().put("name", name(i)), "pause", err);
      ScaleRig.requests(bus, Addresses.RESUME, SSE_VMS, 16, i -> new JsonObject().put("name", name(i)), "resume", err);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (clients.received() < expected && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      table.row("state events delivered to SSE clients, per second", clients.received() / s, 0,
          clients.received() + " of " + expected + " delivered");
    }
  }

  private static void crashes(Daemon daemon, int vms, BenchTable table, PrintStream err) throws Exception {
    err.printf("  kill -9 of all %d simulators%n", vms);
    CountDownLatch crashed = new CountDownLatch(vms);
    MessageConsumer<JsonObject> c = daemon.vertx().eventBus().consumer(Addresses.EVENTS, m -> {
      if ("state".equals(m.body().getString("type")) && "CRASHED".equals(m.body().getString("to"))) {
        crashed.countDown();
      }
    });
    SupervisionRig.await(c.completion());
    List<ProcessHandle> all = new ArrayList<>();
    for (int i = 0; i < vms; i++) {
      JsonObject vm = SupervisionRig.await(daemon.vertx().eventBus().<JsonObject>request(Addresses.GET,
          new JsonObject().put("name", name(i)))).body();
      ProcessHandle.of(vm.getLong("pid")).ifPresent(all::add);
    }
    long t0 = System.nanoTime();
    all.forEach(ProcessHandle::destroyForcibly);
    boolean seen = crashed.await(5, TimeUnit.MINUTES);
    double s = (System.nanoTime() - t0) / 1e9;
    table.row("kill -9 of every VM -> all CRASHED (s)", seen ? s : -1, 2, "target for 1,000 real QEMUs");
    SupervisionRig.await(c.unregister());
  }

  private static String name(int i) {
    return "s" + i;
  }

  private static JsonObject spec(int i) {
    return new JsonObject().put("name", name(i)).put("machine", new JsonObject().put("type", "none"))
        .put("supervision", new JsonObject().put("restart", "never"));
  }
}

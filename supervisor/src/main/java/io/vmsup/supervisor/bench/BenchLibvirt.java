package io.vmsup.supervisor.bench;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.daemon.ConfigLoader;
import io.vmsup.supervisor.daemon.Daemon;
import io.vmsup.supervisor.daemon.SupervisorBinding;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vmsup bench libvirt [--starts N] [--requests N] [--vms N] [--vmsup-only]}: vmsup beside libvirt in one run
 * on the same VM (TCG q35, 128 MiB), alternating: start, kill, QMP pass-through, a state read, daemon CPU per
 * pass-through call and resident memory (RSS and Pss) idle and with N VMs. The vmsup daemon runs as operators run it
 * ({@code ./vmsup run}, {@link DaemonProcess}); the bus rows use a second, in-process daemon in this JVM (the
 * supervisor module may not use the Java client module, so they send what {@code VmsupClient.get/qmp} send: the same
 * address, body and authorization header). libvirt's side: {@link LibvirtSide}, set up by {@code scripts/bench-libvirt}.
 */
final class BenchLibvirt {

  private record Options(int starts, int requests, int vms, boolean vmsupOnly) {
  }

  private static final double MIB = 1024;
  /** Held here: a logger only weakly referenced loses its level. The in-process daemon's INFO lines are noise. */
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.vmsup");

  private BenchLibvirt() {
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    int starts = 20;
    int requests = 1000;
    int vms = 50;
    boolean vmsupOnly = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--vmsup-only")) {
        vmsupOnly = true;
      } else if (i + 1 < args.length && (a.equals("--starts") || a.equals("--requests") || a.equals("--vms"))) {
        int v = Integer.parseInt(args[++i]);
        starts = a.equals("--starts") ? v : starts;
        requests = a.equals("--requests") ? v : requests;
        vms = a.equals("--vms") ? v : vms;
      } else {
        err.println("vmsup bench libvirt: unknown option '" + a + "' (known: --starts N, --requests N, --vms N, "
            + "--vmsup-only)");
        return 2;
      }
    }
    if (starts < 1 || requests < 100 || vms < 1) {
      err.println("vmsup bench libvirt: --starts and --vms must be at least 1, --requests at least 100");
      return 2;
    }
    Options o = new Options(starts, requests, vms, vmsupOnly);
    try {
      String load = BenchQmp.loadAverage();
      LibvirtTable table = measure(o, err);
      table.print(out, load);
      return 0;
    } catch (Exception e) {
      err.println("vmsup bench libvirt: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static LibvirtTable measure(Options o, PrintStream err) throws Exception {
    QUIET.setLevel(java.util.logging.Level.WARNING);
    Path dir = Files.createTempDirectory("vmsup-bench-libvirt-");
    Daemon inProcess = null;
    LibvirtSide lv = null;
    try (DaemonProcess vmsup = DaemonProcess.start(dir.resolve("daemon"))) {
      err.printf("bench libvirt: ./vmsup run (pid %d) listening after %.0f ms%n", vmsup.pid(), vmsup.startupMs());
      lv = o.vmsupOnly() ? null : LibvirtSide.launch(qemu());
      String versions = lv == null ? "vmsup alone (--vmsup-only)" : lv.versions();
      LibvirtTable t = new LibvirtTable("libvirt: vmsup against " + versions + ", TCG q35 128 MiB VMs, " + o.starts()
          + " starts and " + o.requests() + " requests per figure and side, alternating in rounds of "
          + LibvirtRounds.ROUND, err);
      inProcess = SupervisionRig.await(Daemon.start(ConfigLoader.load(List.of("--http-port", "0", "--state-dir",
          dir.resolve("in-process").toString()), Map.of(), false).config(), SupervisorBinding::start));
      LibvirtBus bus = new LibvirtBus(inProcess.vertx().eventBus(), inProcess.token().value());
      bus.ok(Addresses.CREATE, new JsonObject(DaemonProcess.spec("x")));
      bus.ok(Addresses.START, new JsonObject().put("name", "x"));
      long compiled = warmUp(vmsup, lv, bus, err);
      long idle = memory(t, "resident memory idle, no VM (MiB)", vmsup, lv, err);
      startKill(o, t, vmsup, lv, err);
      compiled += calls(o, t, vmsup, lv, bus, dir.resolve("in-process"), dir.resolve("raw"), err);
      long full = withVms(o, t, vmsup, lv, err);
      t.note(String.format(java.util.Locale.ROOT, "vmsup daemon: ./vmsup run, listening %.0f ms after its launch; "
          + "RSS %.1f MiB idle, %.1f MiB with %d VMs (%.1f KiB per VM)", vmsup.startupMs(), idle / MIB, full / MIB,
          o.vms(), (full - idle) / (double) o.vms()));
      t.note(String.format(java.util.Locale.ROOT, "vmsup's JIT compilers: %.2f s of CPU in the unmeasured JIT "
          + "warm-ups (their one-time work on the pass-through; JVM flags: the launcher's, VMSUP_JAVA_OPTS='%s')",
          compiled * ProcStat.microsPerTick() / 1e6, System.getenv().getOrDefault("VMSUP_JAVA_OPTS", "")));
      return t;
    } finally {
      if (lv != null) {
        lv.close();
      }
      if (inProcess != null) {
        SupervisionRig.await(inProcess.stop());
      }
      for (ProcessHandle h : ProcessHandle.allProcesses().filter(h -> h.info().arguments()
          .map(a -> String.join(" ", a).contains(dir.toString())).orElse(false)).toList()) {
        h.destroyForcibly();
      }
      ScaleRig.deleteTree(dir);
    }
  }

  private static String qemu() throws IOException {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(d, "qemu-system-x86_64");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new IOException("qemu-system-x86_64 is not on PATH");
  }

  /**
   * JIT and caches warm on both sides, unmeasured: a start and kill, 300 of each call, then vmsup's pass-through
   * until its JIT compilers have settled. Returns what the compilers took over that last part, clock ticks.
   */
  private static long warmUp(DaemonProcess vmsup, LibvirtSide lv, LibvirtBus bus, PrintStream err)
      throws Exception {
    err.println("bench libvirt: warm-up (a start and kill, 300 of each call per side, unmeasured)");
    vmsup.start("w");
    if (lv != null) {
      lv.start("w");
      lv.qmp("w", 300);
      lv.state("w", 300);
      lv.kill("w");
    }
    for (int i = 0; i < 300; i++) {
      vmsup.send("POST", "/v1/vms/w/qmp", "{\"execute\":\"query-status\"}", 200);
      vmsup.send("GET", "/v1/vms/w", null, 200);
      bus.get("x");
      bus.qmp("x");
    }
    long compiled = LibvirtRounds.warmJit(vmsup, "w", err);
    vmsup.kill("w");
    return compiled;
  }

  private static void startKill(Options o, LibvirtTable t, DaemonProcess vmsup, LibvirtSide lv, PrintStream err)
      throws Exception {
    err.printf("bench libvirt: %d starts and kills per side, alternating%n", o.starts());
    List<Long> vs = new ArrayList<>();
    List<Long> vk = new ArrayList<>();
    List<Long> ls = new ArrayList<>();
    List<Long> lk = new ArrayList<>();
    for (int i = 0; i < o.starts(); i++) {
      vs.add(vmsup.start("s" + i));
      if (lv != null) {
        ls.add(lv.start("s" + i));
      }
      vk.add(vmsup.kill("s" + i));
      if (lv != null) {
        lk.add(lv.kill("s" + i));
      }
    }
    Percentiles a = Percentiles.of(vs);
    Percentiles b = Percentiles.of(ls);
    t.row("start -> running p50 (ms)", a.p50Ms(), b.p50Ms());
    t.row("start -> running p99 (ms)", a.p99Ms(), b.p99Ms());
    Percentiles c = Percentiles.of(vk);
    Percentiles d = Percentiles.of(lk);
    t.row("kill / destroy p50 (ms)", c.p50Ms(), d.p50Ms());
    t.row("kill / destroy p99 (ms)", c.p99Ms(), d.p99Ms());
  }

  /**
   * The pass-through and state-read rows; vmsup's pass-through is warmed again first (the starts and kills before
   * gave its JIT new code to compile, which would otherwise land in the measured rounds). Returns what the compilers
   * took in that warm-up, clock ticks.
   */
  private static long calls(Options o, LibvirtTable t, DaemonProcess vmsup, LibvirtSide lv, LibvirtBus bus,
      Path inProcessDir, Path work, PrintStream err) throws Exception {
    vmsup.start("x");
    if (lv != null) {
      lv.start("x");
    }
    Thread.sleep(2000); // both guests' firmware finds no boot device and idles
    long compiled = LibvirtRounds.warmJit(vmsup, "x", err);
    LibvirtPassThrough.measure(o.requests(), t, vmsup, lv, bus, inProcessDir, work, err);
    LibvirtRounds.Batch lstate = lv == null ? null : n -> lv.state("x", n);
    err.printf("bench libvirt: state reads (GET over HTTP, vmsup.vm.get on the bus) vs virDomainGetState%n");
    LibvirtRounds get = LibvirtRounds.run(o.requests(), () -> vmsup.send("GET", "/v1/vms/x", null, 200), lstate,
        0, 0);
    t.row("state read, GET /v1/vms/x p50 (us)", get.vmsupP50(), get.libvirtP50());
    t.row("state read, GET /v1/vms/x p99 (us)", get.vmsupP99(), get.libvirtP99());
    LibvirtRounds busGet = LibvirtRounds.run(o.requests(), () -> bus.get("x"), lstate, 0, 0);
    t.row("state read, vmsup.vm.get in-process bus p50 (us)", busGet.vmsupP50(), busGet.libvirtP50(), 1.0);
    t.row("state read, vmsup.vm.get in-process bus p99 (us)", busGet.vmsupP99(), busGet.libvirtP99());
    vmsup.kill("x");
    if (lv != null) {
      lv.kill("x");
    }
    return compiled;
  }

  /**
   * Resident memory of the vmsup daemon and of libvirtd + virtlogd, after 3 s of quiet: RSS, then Pss (shared pages
   * divided among the processes mapping them); vmsup's RSS, KiB.
   */
  private static long memory(LibvirtTable t, String figure, DaemonProcess vmsup, LibvirtSide lv, PrintStream err)
      throws Exception {
    err.println("bench libvirt: " + figure + ", after 3 s of quiet");
    Thread.sleep(3000); // let both daemons settle (bench thread)
    long mine = ProcStat.rssKib(vmsup.pid());
    long minePss = ProcStat.pssKib(vmsup.pid());
    t.row(figure, mine / MIB, lv == null ? Double.NaN : lv.rssKib() / MIB, 1.5);
    t.row(pss(figure), minePss / MIB, lv == null ? Double.NaN : lv.pssKib() / MIB, 1.5);
    JvmFloor.rows(t, lv == null ? Double.NaN : lv.rssKib() / MIB, lv == null ? Double.NaN : lv.pssKib() / MIB, err);
    return mine;
  }

  /** The Pss row's name beside a resident-memory row's. */
  private static String pss(String figure) {
    return figure.replace("resident memory", "  proportional (Pss)");
  }

  /**
   * N VMs on vmsup alone, its resident memory after 3 s, all killed; then N on libvirt alone, libvirtd + virtlogd's
   * resident memory after 3 s, all destroyed (one side's QEMUs at a time: kinder to a shared machine). vmsup's, KiB.
   */
  private static long withVms(Options o, LibvirtTable t, DaemonProcess vmsup, LibvirtSide lv, PrintStream err)
      throws Exception {
    String figure = "resident memory with " + o.vms() + " VMs running (MiB)";
    err.printf("bench libvirt: %s, vmsup's %d VMs alone, then libvirt's%n", figure, o.vms());
    for (int i = 0; i < o.vms(); i++) {
      vmsup.start("m" + i);
    }
    Thread.sleep(3000); // let the daemon settle (bench thread)
    long mine = ProcStat.rssKib(vmsup.pid());
    long minePss = ProcStat.pssKib(vmsup.pid());
    for (int i = 0; i < o.vms(); i++) {
      vmsup.kill("m" + i);
    }
    double theirs = Double.NaN;
    double theirsPss = Double.NaN;
    if (lv != null) {
      for (int i = 0; i < o.vms(); i++) {
        lv.start("m" + i);
      }
      Thread.sleep(3000);
      theirs = lv.rssKib() / MIB;
      theirsPss = lv.pssKib() / MIB;
      for (int i = 0; i < o.vms(); i++) {
        lv.kill("m" + i);
      }
    }
    t.row(figure, mine / MIB, theirs, 1.5);
    t.row(pss(figure), minePss / MIB, theirsPss, 1.5);
    return mine;
  }
}

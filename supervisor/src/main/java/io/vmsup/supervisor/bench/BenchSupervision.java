package io.vmsup.supervisor.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.io.PrintStream;
import io.vmsup.supervisor.api.SupervisorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code vmsup bench supervision}: the speeds the integration tests used to bound with wall-clock limits, each
 * measured here beside a baseline from the same run (the tests now assert only order and outcome). Real
 * {@code -machine none} QEMUs under an in-process supervisor; the machine may be shared, so each timed figure is the
 * median of {@link #ROUNDS} rounds where a round is cheap.
 */
public final class BenchSupervision {

  static final int ROUNDS = 5;
  static final int REQUESTS = 200;
  static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

  private final PrintStream err;
  private final BenchTable table;

  private BenchSupervision(PrintStream err, BenchTable table) {
    this.err = err;
    this.table = table;
  }

  public static int run(PrintStream out, PrintStream err) {
    BenchTable table = new BenchTable("supervision: real QEMU (-machine none) under an in-process supervisor");
    try {
      BenchSupervision bench = new BenchSupervision(err, table);
      try (SupervisionRig rig = new SupervisionRig(SupervisionRig.options("vmsup-bench-sup-", COMMAND_TIMEOUT))) {
        bench.measure(rig);
      }
      bench.startTimeout();
      BenchScrape.measure(table, err);
      table.print(out);
      return 0;
    } catch (Exception e) {
      err.println("vmsup bench supervision: failed: " + e);
      return 1;
    }
  }

  private void measure(SupervisionRig rig) throws Exception {
    crashOfAChild(rig);
    isolation(rig);
    badStop(rig);
    ladder(rig);
    reconnectThenCrash(rig);
    crashOfAReattachedVm(rig);
  }

  /** LifecycleIT: SIGKILL → CRASHED event, beside the JDK's own exit notice of the same process. */
  private void crashOfAChild(SupervisionRig rig) throws Exception {
    progress("SIGKILL -> CRASHED, " + ROUNDS + " rounds");
    long pid = rig.startNew("crash", new JsonObject());
    List<Long> crashed = new ArrayList<>();
    List<Long> exited = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      rig.awaitState("crash", "RUNNING");
      kill(rig, "crash", pid, crashed, exited);
      pid = rig.start("crash");
    }
    table.row("SIGKILL -> CRASHED event, child QEMU (ms)", median(crashed), median(exited),
        "SIGKILL -> JDK onExit of that QEMU");
  }

  /** Kills {@code pid} and records when the CRASHED event and the JDK's onExit arrived. */
  private static void kill(SupervisionRig rig, String vm, long pid, List<Long> crashed, List<Long> exited)
      throws Exception {
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    long[] exitAt = new long[1];
    CompletableFuture<ProcessHandle> exit = p.onExit().whenComplete((h, e) -> exitAt[0] = System.nanoTime());
    long t0 = System.nanoTime();
    p.destroyForcibly();
    SupervisionRig.Arrival crash = rig.awaitState(vm, "CRASHED");
    exit.get(60, TimeUnit.SECONDS);
    crashed.add(crash.nanos() - t0);
    exited.add(exitAt[0] - t0);
  }

  /** IsolationIT: a healthy VM's round trips while its neighbour is SIGSTOPped, beside both running. */
  private void isolation(SupervisionRig rig) throws Exception {
    progress("isolation: " + REQUESTS + " query-status to a healthy VM, neighbour running then SIGSTOPped");
    long hung = rig.startNew("hung", new JsonObject());
    rig.startNew("fine", new JsonObject());
    JsonObject query = SupervisionRig.name("fine").put("execute", "query-status");
    roundTrips(rig, query, 50); // warm-up (JIT), not measured
    Percentiles calm = Percentiles.of(roundTrips(rig, query, REQUESTS));
    SupervisionRig.signal(hung, "STOP");
    try {
      long t0 = System.nanoTime();
      Future<Long> timedOut = rig.send(Addresses.QMP, SupervisionRig.name("hung").put("execute", "query-status"))
          .transform(ar -> Future.succeededFuture(System.nanoTime() - t0));
      Percentiles stormy = Percentiles.of(roundTrips(rig, query, REQUESTS));
      long waited = SupervisionRig.await(timedOut);
      table.row("healthy VM query-status p50, neighbour stopped (ms)", stormy.p50Ms(), calm.p50Ms(),
          "the same, neighbour running");
      table.row("healthy VM query-status max, neighbour stopped (ms)", stormy.maxMs(), calm.maxMs(),
          "the same, neighbour running");
      table.row("request to the stopped VM -> 503 (ms)", waited / 1e6, COMMAND_TIMEOUT.toMillis(),
          "the command timeout");
    } finally {
      SupervisionRig.signal(hung, "CONT");
    }
  }

  private static List<Long> roundTrips(SupervisionRig rig, JsonObject query, int n) throws Exception {
    List<Long> took = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      rig.request(Addresses.QMP, query);
      took.add(System.nanoTime() - s);
    }
    return took;
  }

  /** LifecycleIT: a stop with a bad grace is refused at once, beside a GET of the same VM. */
  private void badStop(SupervisionRig rig) throws Exception {
    progress("a stop with a bad grace, " + ROUNDS + " rounds");
    List<Long> refused = new ArrayList<>();
    List<Long> get = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      long t0 = System.nanoTime();
      int code = rig.failureCode(Addresses.STOP, SupervisionRig.name("fine").put("graceSeconds", "soon"));
      refused.add(System.nanoTime() - t0);
      if (code != 400) {
        throw new IllegalStateException("a stop with graceSeconds \"soon\" answered " + code + ", not 400");
      }
      long t1 = System.nanoTime();
      rig.request(Addresses.GET, SupervisionRig.name("fine"));
      get.add(System.nanoTime() - t1);
    }
    table.row("stop with a bad grace -> 400 (ms)", median(refused), median(get), "GET of the same VM");
  }

  /** LadderIT: the whole ladder on a SIGSTOPped QEMU, beside the sum of its rungs' waits (grace 0.2 s). */
  private void ladder(SupervisionRig rig) throws Exception {
    progress("the stop ladder of a SIGSTOPped QEMU (about 4 s)");
    long pid = rig.startNew("ladder", new JsonObject());
    SupervisionRig.signal(pid, "STOP");
    long t0 = System.nanoTime();
    rig.request(Addresses.STOP, SupervisionRig.name("ladder").put("graceSeconds", 0.2));
    long took = System.nanoTime() - t0;
    // grace 0.2 s + quit wait 1 s + SIGTERM wait 3 s, then SIGKILL acts at once even on a stopped process
    table.row("stop ladder down to SIGKILL, grace 0.2 s (ms)", took / 1e6, 4200, "sum of the rungs' waits");
  }

  /** QmpReconnectIT: QMP closed under a live QEMU is reconnected; a SIGKILL after that is still a crash. */
  private void reconnectThenCrash(SupervisionRig rig) throws Exception {
    progress("QMP close -> reconnect, then SIGKILL -> CRASHED");
    long pid = rig.startNew("recon", new JsonObject());
    rig.awaitState("recon", "RUNNING");
    long t0 = System.nanoTime();
    QmpCut.cut(QmpCut.socketOf(rig.supervisor().options().stateDir(), "recon"));
    SupervisionRig.Arrival back = rig.await(e -> "recon".equals(e.getString("vm"))
        && "qmp-reconnected".equals(e.getString("type")));
    table.row("QMP closed -> qmp-reconnected event (ms)", (back.nanos() - t0) / 1e6, 400,
        "the liveness check's wait");
    List<Long> crashed = new ArrayList<>();
    List<Long> exited = new ArrayList<>();
    kill(rig, "recon", pid, crashed, exited);
    table.row("SIGKILL after a reconnect -> CRASHED (ms)", median(crashed), median(exited),
        "SIGKILL -> JDK onExit of that QEMU");
  }

  /** ReattachIT: a VM re-attached by a second supervisor; its death is still seen at once. */
  private void crashOfAReattachedVm(SupervisionRig rig) throws Exception {
    progress("SIGKILL -> CRASHED of a re-attached VM, " + ROUNDS + " rounds");
    List<Long> crashed = new ArrayList<>();
    List<Long> exited = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      long pid = rig.startNew("adopt" + i, new JsonObject());
      rig.restart();
      rig.drain();
      kill(rig, "adopt" + i, pid, crashed, exited);
    }
    table.row("SIGKILL -> CRASHED event, re-attached QEMU (ms)", median(crashed), median(exited),
        "SIGKILL -> JDK onExit of that QEMU");
  }

  /** LadderIT: a "QEMU" that never opens QMP fails the start after the start timeout, beside that timeout. */
  private void startTimeout() throws Exception {
    progress("a QEMU that never opens QMP, start timeout 800 ms");
    SupervisorOptions options = SupervisionRig.options("vmsup-bench-start-", COMMAND_TIMEOUT);
    Path fake = options.stateDir().resolve("fake-qemu");
    Files.writeString(fake, "#!/bin/sh\nexec sleep 60\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    Duration timeout = Duration.ofMillis(800);
    try (SupervisionRig rig = new SupervisionRig(options.withQemuBinary(fake.toString()).withStartTimeout(timeout))) {
      rig.request(Addresses.CREATE, SupervisionRig.name("never").put("machine", new JsonObject().put("type", "none")));
      long t0 = System.nanoTime();
      int code = rig.failureCode(Addresses.START, SupervisionRig.name("never"));
      long took = System.nanoTime() - t0;
      if (code != 500) {
        throw new IllegalStateException("a start that never opens QMP answered " + code + ", not 500");
      }
      table.row("start of a QEMU that never opens QMP -> 500 (ms)", took / 1e6, timeout.toMillis(),
          "the start timeout");
    }
  }

  private static double median(List<Long> nanos) {
    return Percentiles.of(nanos).p50Ms();
  }

  private void progress(String line) {
    err.println("bench supervision: " + line);
  }
}

package io.vmsup.supervisor.bench;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code vmsup bench guest}: the graceful stop of a real guest, the figure {@code SupervisorGuestIT} used to bound
 * ("a guest that answers the power button stops in < 10 s"). The test guest of {@code scripts/build-test-guest}
 * ({@code VMSUP_GUEST_DIR}; {@code ./vmsup bench guest} builds or reuses it) boots under an in-process supervisor;
 * once its console says {@value #READY}, {@code stop} presses the power button and the figure is request → the
 * {@code STOPPED} event with reason {@code guest-shutdown}. The baseline, from the same run: the same argv (the
 * daemon's render of the VM, paths moved) in a raw QEMU sent {@code system_powerdown} over QMP → process exit.
 */
public final class BenchGuest {

  static final int ROUNDS = 3;
  static final String READY = "GUEST-READY";
  static final double OLD_LIMIT_MS = 10_000;
  private static final Duration BOOT = Duration.ofSeconds(120);
  private static final String APPEND = "console=ttyS0 quiet panic=-1 cryptomgr.notests no_timer_check";

  private final PrintStream err;
  private final Path guest;

  private BenchGuest(PrintStream err, Path guest) {
    this.err = err;
    this.guest = guest;
  }

  public static int run(PrintStream out, PrintStream err) {
    String dir = System.getenv("VMSUP_GUEST_DIR");
    if (dir == null || dir.isEmpty() || !Files.isRegularFile(Path.of(dir, "vmlinuz"))) {
      err.println("vmsup bench guest: set VMSUP_GUEST_DIR to the directory of the test guest's vmlinuz and initrd.gz"
          + " (./vmsup bench guest does: it runs scripts/build-test-guest --print-dir)");
      return 2;
    }
    BenchTable table = new BenchTable("guest: the test guest (TCG) under an in-process supervisor, " + ROUNDS
        + " rounds").echoTo(err);
    try {
      new BenchGuest(err, Path.of(dir).toAbsolutePath()).measure(table);
      table.print(out);
      return 0;
    } catch (Exception e) {
      err.println("vmsup bench guest: failed: " + e);
      return 1;
    }
  }

  private void measure(BenchTable table) throws Exception {
    List<Long> bootV = new ArrayList<>();
    List<Long> stopV = new ArrayList<>();
    List<Long> bootR = new ArrayList<>();
    List<Long> stopR = new ArrayList<>();
    var options = SupervisionRig.options("vmsup-bench-guest-", Duration.ofSeconds(5)).withAllowedPaths(List.of(guest));
    try (SupervisionRig rig = new SupervisionRig(options)) {
      rig.request(Addresses.CREATE, spec("ref"));
      List<String> argv = rig.request(Addresses.RENDER, SupervisionRig.name("ref")).getJsonArray("argv").getList();
      RawLaunch raw = new RawLaunch(rig.vertx(), argv, rig.dir.resolve("vms").resolve("ref"));
      for (int i = 0; i < ROUNDS; i++) {
        supervised(rig, "g" + i, bootV, stopV);
        raw(rig, raw, rig.dir.resolve("raw").resolve("r" + i), bootR, stopR);
      }
    }
    Percentiles v = Percentiles.of(stopV);
    Percentiles r = Percentiles.of(stopR);
    table.row("start -> " + READY + " on the console, p50 (ms)", Percentiles.of(bootV).p50Ms(),
        Percentiles.of(bootR).p50Ms(), "raw QEMU: spawn -> the same line");
    table.row("stop -> STOPPED guest-shutdown, p50 (ms)", v.p50Ms(), r.p50Ms(),
        "raw QEMU: system_powerdown -> exit");
    table.row("stop -> STOPPED guest-shutdown, max (ms)", v.maxMs(), r.maxMs(), "raw QEMU: system_powerdown -> exit");
    table.row("stop -> STOPPED guest-shutdown, max (ms)", v.maxMs(), OLD_LIMIT_MS,
        "SupervisorGuestIT's former limit, at most");
  }

  /** Create, start, READY, then stop (power button, grace 30 s): request → the STOPPED event. */
  private void supervised(SupervisionRig rig, String vm, List<Long> boots, List<Long> stops) throws Exception {
    progress(vm + ": boot under the supervisor, then stop");
    rig.request(Addresses.CREATE, spec(vm));
    long t0 = System.nanoTime();
    rig.start(vm);
    boots.add(awaitLine(rig.dir.resolve("vms").resolve(vm).resolve("serial.log"), READY) - t0);
    rig.drain();
    long t1 = System.nanoTime();
    JsonObject reply = rig.request(Addresses.STOP, SupervisionRig.name(vm).put("graceSeconds", 30));
    SupervisionRig.Arrival stopped = rig.awaitState(vm, "STOPPED");
    String reason = stopped.event().getString("reason");
    List<?> steps = reply.getJsonArray("steps", new JsonArray()).getList();
    if (!"guest-shutdown".equals(reason) || !List.of("powerdown").equals(steps)) {
      throw new IllegalStateException(vm + " stopped with reason " + reason + " after steps " + steps
          + ", not guest-shutdown after the power button alone");
    }
    stops.add(stopped.nanos() - t1);
  }

  /** The same argv in a raw QEMU: spawn, READY, {@code system_powerdown} → exit. */
  private void raw(SupervisionRig rig, RawLaunch raw, Path dir, List<Long> boots, List<Long> stops)
      throws Exception {
    progress(dir.getFileName() + ": boot in a raw QEMU, then system_powerdown");
    long t0 = System.nanoTime();
    Promise<RawLaunch.Ready> launched = Promise.promise();
    rig.vertx().runOnContext(x -> raw.launch(dir).onComplete(launched));
    RawLaunch.Ready r = SupervisionRig.await(launched.future());
    try {
      boots.add(awaitLine(dir.resolve("serial.log"), READY) - t0);
      long t1 = System.nanoTime();
      r.qmp().write(Buffer.buffer("{\"execute\":\"system_powerdown\"}\n"));
      int code = r.exit().get(BOOT.toSeconds(), TimeUnit.SECONDS);
      stops.add(System.nanoTime() - t1);
      if (code != 0) {
        throw new IllegalStateException("the raw QEMU exited with " + code + " after system_powerdown");
      }
    } finally {
      r.close();
    }
  }

  /**
   * When {@code marker} first appeared in {@code log} (a file QEMU writes): polled every 10 ms from this bench
   * thread (never an event loop), within {@link #BOOT}.
   */
  private static long awaitLine(Path log, String marker) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + BOOT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(marker)) {
        return System.nanoTime();
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("no " + marker + " in " + log + " within " + BOOT);
  }

  /** A q35 VM booting the test guest, as SupervisorGuestIT's (no pvpanic: not needed for a stop). */
  private JsonObject spec(String name) {
    JsonObject kernel = new JsonObject().put("path", guest.resolve("vmlinuz").toString())
        .put("initrd", guest.resolve("initrd.gz").toString()).put("cmdline", APPEND);
    return new JsonObject().put("name", name).put("cpu", "max").put("kernel", kernel);
  }

  private void progress(String line) {
    err.println("bench guest: " + line);
  }
}

package io.vmsup.supervisor.bench;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The pass-through rows of {@code bench libvirt}: {@code query-status} through vmsup (HTTP with {@code java.net.http},
 * HTTP with the simplest blocking client, the in-process bus) against libvirt's {@code qemuMonitorCommand}, and the
 * floor under all of them: the same command straight on the QMP socket of a QEMU running the VM's own argv. No
 * pass-through can be faster than the round trip it contains, so where issue 15's bound (vmsup at most a fifth of
 * libvirt's time) falls below that floor, the table says so instead of calling it a miss the code could close.
 */
final class LibvirtPassThrough {

  private static final String QUERY = "{\"execute\":\"query-status\"}";
  private static final double FIFTH = 0.2;

  private LibvirtPassThrough() {
  }

  /**
   * Measures the rows into {@code t}; {@code lv} null measures vmsup alone. {@code inProcessDir} is the in-process
   * daemon's state directory (its VM {@code x} gives the argv of the floor's QEMU); {@code work} a scratch directory.
   */
  static void measure(int requests, LibvirtTable t, DaemonProcess vmsup, LibvirtSide lv, LibvirtBus bus,
      Path inProcessDir, Path work, PrintStream err) throws Exception {
    long lpid = lv == null ? 0 : lv.libvirtdPid();
    LibvirtRounds.Batch lqmp = lv == null ? null : n -> lv.qmp("x", n);
    err.printf("bench libvirt: query-status over HTTP (java.net.http) vs qemuMonitorCommand, %d each%n", requests);
    LibvirtRounds http = LibvirtRounds.run(requests, () -> vmsup.send("POST", "/v1/vms/x/qmp", QUERY, 200), lqmp,
        vmsup.pid(), lpid);
    t.row("QMP query-status, HTTP keep-alive p50 (us)", http.vmsupP50(), http.libvirtP50(), FIFTH);
    t.row("QMP query-status, HTTP keep-alive p99 (us)", http.vmsupP99(), http.libvirtP99());
    t.row("daemon CPU per QMP call over HTTP (us)", http.vmsupCpuPerCall(), http.libvirtCpuPerCall(), 1.0);
    t.row("  of which vmsup's JIT compilers (us)", http.vmsupJitPerCall(), Double.NaN);
    err.printf("bench libvirt: query-status over HTTP (blocking client) vs qemuMonitorCommand, %d each%n", requests);
    byte[] request = WireClients.Http.request("POST", "/v1/vms/x/qmp", vmsup.token(), QUERY);
    try (WireClients.Http wire = new WireClients.Http(vmsup.port())) {
      LibvirtRounds blocking = LibvirtRounds.run(requests, () -> timed(wire, request), lqmp, 0, 0);
      t.row("  the same, blocking HTTP client p50 (us)", blocking.vmsupP50(), blocking.libvirtP50(), FIFTH);
      t.row("  the same, blocking HTTP client p99 (us)", blocking.vmsupP99(), blocking.libvirtP99());
    }
    err.printf("bench libvirt: query-status on the in-process bus vs qemuMonitorCommand, %d each%n", requests);
    LibvirtRounds onBus = LibvirtRounds.run(requests, () -> bus.qmp("x"), lqmp, 0, 0);
    t.row("QMP query-status, in-process bus p50 (us)", onBus.vmsupP50(), onBus.libvirtP50(), FIFTH);
    t.row("QMP query-status, in-process bus p99 (us)", onBus.vmsupP99(), onBus.libvirtP99());
    floor(requests, t, bus, lqmp, inProcessDir, work, err);
  }

  /**
   * The floor row: a QEMU with the in-process VM {@code x}'s own argv (run as this user, in no cgroup) and the
   * simplest blocking QMP client, alternating with libvirt's pass-through; and a note that compares issue 15's bound
   * with it.
   */
  private static void floor(int requests, LibvirtTable t, LibvirtBus bus, LibvirtRounds.Batch lqmp, Path inProcessDir,
      Path work, PrintStream err) throws Exception {
    List<String> argv = bus.ok(Addresses.RENDER, new JsonObject().put("name", "x")).getJsonArray("argv").getList();
    err.printf("bench libvirt: query-status straight on a QMP socket (the VM's argv, raw) vs qemuMonitorCommand, %d "
        + "each%n", requests);
    try (BenchQemu raw = BenchQemu.like(work, argv, inProcessDir.resolve("vms").resolve("x"));
        BlockingQmpClient direct = ApiRig.connect(raw.socket())) {
      for (int i = 0; i < 300; i++) {
        direct.write(QUERY);
        direct.readReply();
      }
      LibvirtRounds r = LibvirtRounds.run(requests, () -> timed(direct), lqmp, 0, 0);
      t.row("floor: straight on the QMP socket p50 (us)", r.vmsupP50(), r.libvirtP50());
      t.row("floor: straight on the QMP socket p99 (us)", r.vmsupP99(), r.libvirtP99());
      if (lqmp != null) {
        double bound = r.libvirtP50() * FIFTH;
        t.note(String.format(Locale.ROOT, "the floor: issue 15's pass-through bound (a fifth of libvirt's p50) is %.1f "
            + "us; the same command straight on the VM's QMP socket, no daemon at all, takes %.1f us p50 here: %s",
            bound, r.vmsupP50(), bound < r.vmsupP50() ? "the bound is below the floor, no pass-through can meet it "
            + "in this run" : "the bound is above the floor by " + String.format(Locale.ROOT, "%.1f us",
            bound - r.vmsupP50())));
      }
    }
  }

  private static long timed(WireClients.Http wire, byte[] request) throws IOException {
    long t0 = System.nanoTime();
    String body = wire.call(request);
    long took = System.nanoTime() - t0;
    if (!body.contains("\"return\"")) {
      throw new IOException("POST /v1/vms/x/qmp answered " + body);
    }
    return took;
  }

  private static long timed(BlockingQmpClient direct) throws IOException {
    long t0 = System.nanoTime();
    direct.write(QUERY);
    String reply = direct.readReply();
    long took = System.nanoTime() - t0;
    if (!reply.contains("\"return\"")) {
      throw new IOException("query-status on the raw QMP socket answered " + reply);
    }
    return took;
  }
}

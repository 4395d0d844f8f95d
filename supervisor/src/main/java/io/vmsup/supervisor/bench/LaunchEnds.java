package io.vmsup.supervisor.bench;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ends of a VM, one at a time and alternating with the baseline: {@code stop} (grace 0: QMP {@code quit}) →
 * STOPPED against {@code quit} on a raw QEMU → its exit; {@code kill} → STOPPED against SIGKILL of a raw QEMU → its
 * exit (both exits as the spawner reports them, the way the daemon learns of its children's).
 */
final class LaunchEnds {

  /** Times of one kind of end: vmsup's and the baseline's. */
  record Ends(List<Long> vmsup, List<Long> raw) {
  }

  private final LaunchRuns runs;
  private final RawLaunch raw;
  private final Path dir;

  LaunchEnds(LaunchRuns runs, RawLaunch raw, Path dir) {
    this.runs = runs;
    this.raw = raw;
    this.dir = dir;
  }

  Ends stops(int n) throws Exception {
    return ends(n, "stop", true);
  }

  Ends kills(int n) throws Exception {
    return ends(n, "kill", false);
  }

  private Ends ends(int n, String what, boolean stop) throws Exception {
    Ends out = new Ends(new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < n; i++) {
      RawLaunch.Ready r = BenchLaunch.await(raw.launch(dir.resolve("raw/" + what + i)));
      long t0 = System.nanoTime();
      if (stop) {
        RawLaunch.quit(r);
      } else {
        ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
      r.exit().get(30, TimeUnit.SECONDS);
      out.raw().add(System.nanoTime() - t0);
      r.close();

      String name = what + "-" + i;
      BenchLaunch.await(runs.createAndStart(name));
      long t1 = System.nanoTime();
      JsonObject body = new JsonObject().put("name", name);
      JsonObject view = BenchLaunch.await(runs.request(stop ? Addresses.STOP : Addresses.KILL,
          stop ? body.put("graceSeconds", 0) : body));
      out.vmsup().add(System.nanoTime() - t1);
      if (!"STOPPED".equals(view.getString("state"))) {
        throw new IllegalStateException(what + " of " + name + " answered " + view.getString("state"));
      }
      BenchLaunch.await(runs.request(Addresses.DELETE, name));
    }
    return out;
  }
}

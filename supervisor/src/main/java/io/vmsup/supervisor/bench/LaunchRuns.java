package io.vmsup.supervisor.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.link.QmpConnector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The measured runs of {@link BenchLaunch}; blocks the calling (non-Vert.x) thread on futures. */
final class LaunchRuns {

  /** Per-VM times and the time until the last one was ready. */
  record Burst(Percentiles each, double totalMs) {
  }

  private final Vertx vertx;
  private final RawLaunch raw;
  private final Path dir;
  private final PrintStream progress;
  private final Map<String, Long> burstPids = new ConcurrentHashMap<>();

  LaunchRuns(Vertx vertx, QmpConnector connector, String qemu, Path dir, PrintStream progress) {
    this.vertx = vertx;
    this.raw = new RawLaunch(vertx, connector, qemu);
    this.dir = dir;
    this.progress = progress;
  }

  List<Long> rawSequential(int n, String prefix) throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RawLaunch.Ready r = BenchLaunch.await(raw.launch(dir.resolve(prefix + "raw-" + i + ".sock")));
      times.add(r.nanos());
      stop(r);
      tick(prefix + "raw one-at-a-time", i + 1, n);
    }
    return times;
  }

  List<Long> supervisedSequential(int n, String prefix) throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = prefix + "seq-" + i;
      long t0 = System.nanoTime();
      BenchLaunch.await(createAndStart(name));
      times.add(System.nanoTime() - t0);
      BenchLaunch.await(request(Addresses.KILL, name).compose(v -> request(Addresses.DELETE, name)));
      tick(prefix + "vmsup one-at-a-time", i + 1, n);
    }
    return times;
  }

  Burst rawBurst(int n) throws Exception {
    progress.println("bench: raw, " + n + " QEMUs at once ...");
    long t0 = System.nanoTime();
    List<Future<RawLaunch.Ready>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(raw.launch(dir.resolve("burst-" + i + ".sock")));
    }
    BenchLaunch.await(Future.all(all));
    long total = System.nanoTime() - t0;
    List<Long> each = new ArrayList<>();
    for (Future<RawLaunch.Ready> f : all) {
      each.add(f.result().nanos());
      stop(f.result());
    }
    return new Burst(Percentiles.of(each), total / 1e6);
  }

  Burst supervisedBurst(int n) throws Exception {
    progress.println("bench: vmsup, " + n + " VMs created and started at once ...");
    long t0 = System.nanoTime();
    List<Future<Long>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "b-" + i;
      all.add(createAndStart(name).map(view -> {
        burstPids.put(name, view.getLong("pid"));
        return System.nanoTime() - t0;
      }));
    }
    BenchLaunch.await(Future.all(all));
    long total = System.nanoTime() - t0;
    return new Burst(Percentiles.of(all.stream().map(Future::result).toList()), total / 1e6);
  }

  /** SIGKILLs {@code k} of the burst's VMs one at a time; each time until its CRASHED event arrived. */
  List<Long> crashLatencies(int k) throws Exception {
    Map<String, CompletableFuture<Long>> seen = new ConcurrentHashMap<>();
    MessageConsumer<JsonObject> c = vertx.eventBus().consumer(Addresses.EVENTS, m -> {
      JsonObject e = m.body();
      if ("state".equals(e.getString("type")) && "CRASHED".equals(e.getString("to"))) {
        seen.computeIfAbsent(e.getString("vm"), x -> new CompletableFuture<>()).complete(System.nanoTime());
      }
    });
    BenchLaunch.await(c.completion());
    List<Long> times = new ArrayList<>();
    List<String> names = new ArrayList<>(burstPids.keySet());
    for (int i = 0; i < Math.min(k, names.size()); i++) {
      String name = names.get(i);
      long t0 = System.nanoTime();
      ProcessHandle.of(burstPids.get(name)).ifPresent(ProcessHandle::destroyForcibly);
      long at = seen.computeIfAbsent(name, x -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
      times.add(at - t0);
      tick("crash detection", i + 1, k);
    }
    BenchLaunch.await(c.unregister());
    return times;
  }

  private Future<JsonObject> createAndStart(String name) {
    JsonObject spec = new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "none"));
    return request(Addresses.CREATE, spec).compose(v -> request(Addresses.START, name));
  }

  private Future<JsonObject> request(String address, Object nameOrBody) {
    JsonObject body = nameOrBody instanceof JsonObject j ? j : new JsonObject().put("name", nameOrBody);
    return vertx.eventBus().<JsonObject>request(address, body).map(Message::body);
  }

  private void stop(RawLaunch.Ready r) throws Exception {
    r.process().destroyForcibly();
    r.process().onExit().get(10, TimeUnit.SECONDS);
  }

  private void tick(String what, int done, int of) {
    if (done % 10 == 0 || done == of) {
      progress.println("bench: " + what + " " + done + "/" + of);
    }
  }

  /** Kills every QEMU whose command line names the bench directory. */
  void killAll() {
    String needle = dir.toString();
    ProcessHandle.allProcesses().filter(p -> cmdline(p.pid()).contains(needle)).forEach(p -> {
      p.destroyForcibly();
      p.onExit().join();
    });
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
    } catch (IOException gone) {
      return "";
    }
  }
}

package io.vmsup.supervisor.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.CreateAndStart;
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

  /**
   * Per-VM times and the time until the last one was ready, over the launches that got there; {@code failed} did not
   * (not waited for), {@code why} counts them by kind.
   */
  /** A burst's launches, and (create, then start) when each create was answered since the burst began. */
  record Burst(Percentiles each, double totalMs, int failed, String why, Percentiles created) {
  }

  /** Since the burst began, when each create of the burst running now was answered (ns). */
  private final java.util.Queue<Long> createdAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private long burstStart;

  /** How long a raw QEMU of a burst may take to be ready before it counts as not ready (and is killed). */
  static final java.time.Duration BURST_LIMIT = java.time.Duration.ofSeconds(120);

  private final Vertx vertx;
  private final RawLaunch raw;
  private final Path dir;
  private final PrintStream progress;
  private final Map<String, Long> burstPids = new ConcurrentHashMap<>();
  /** Whether a burst's VMs are created and started in one request each ({@code --one-request}). */
  boolean burstsInOneRequest;
  /** VMs of the last burst killed one at a time already (CRASHED), deleted with the rest. */
  private final List<String> crashed = new ArrayList<>();
  final List<Long> rawTimes = new ArrayList<>();
  final List<Long> supervisedTimes = new ArrayList<>();
  /** Parts of the supervised runs: create reply, start reply, spawn → QMP ready inside start. */
  final List<Long> createTimes = new ArrayList<>();
  final List<Long> startTimes = new ArrayList<>();
  final List<Long> spawnToReady = new ArrayList<>();
  /** Create-and-start in one request ({@code vmsup.vm.create} with the {@code start} header) → RUNNING. */
  final List<Long> oneRequestTimes = new ArrayList<>();
  /** This JVM's CPU time per launch kind. */
  final LaunchCpu cpu = new LaunchCpu();

  LaunchRuns(Vertx vertx, RawLaunch raw, Path dir, PrintStream progress) {
    this.vertx = vertx;
    this.raw = raw;
    this.dir = dir;
    this.progress = progress;
  }

  /**
   * One raw launch then one supervised create+start, {@code n} times, alternating so that the load of a shared
   * machine falls on both alike. Fills {@link #rawTimes}, {@link #supervisedTimes} and the parts.
   */
  void interleaved(int n, String prefix) throws Exception {
    for (int i = 0; i < n; i++) {
      long[] c0 = LaunchCpu.now();
      RawLaunch.Ready r = BenchLaunch.await(raw.launch(dir.resolve("raw/" + prefix + i)));
      rawTimes.add(r.nanos());
      long[] c1 = LaunchCpu.now();
      stop(r);
      long[] c2 = LaunchCpu.now();
      supervised(prefix + "seq-" + i);
      long[] c3 = LaunchCpu.now();
      killAndDelete(prefix + "seq-" + i);
      long[] c4 = LaunchCpu.now();
      oneRequest(prefix + "one-" + i);
      long[] c5 = LaunchCpu.now();
      killAndDelete(prefix + "one-" + i);
      cpu.count(0, c0, c1);
      cpu.count(1, c2, c3);
      cpu.count(2, c4, c5);
      tick(prefix + "one at a time (raw, vmsup, vmsup in one request)", i + 1, n);
    }
  }

  /** A launch over a second is said, with how long its turn → ready took (the rest was before the turn). */
  private void slow(String name, long nanos, JsonObject view) {
    if (nanos > 1_000_000_000L) {
      progress.printf("bench: slow launch %s: %.0f ms (turn -> ready %s ms)%n", name, nanos / 1e6,
          view.getValue("lastStartMs"));
    }
  }

  private void killAndDelete(String name) throws Exception {
    BenchLaunch.await(request(Addresses.KILL, name).compose(v -> request(Addresses.DELETE, name)));
  }

  /** Create-and-start in one request until RUNNING. */
  private void oneRequest(String name) throws Exception {
    long t0 = System.nanoTime();
    JsonObject view = BenchLaunch.await(createStarting(name));
    oneRequestTimes.add(System.nanoTime() - t0);
    slow(name, System.nanoTime() - t0, view);
  }

  private void supervised(String name) throws Exception {
    long t0 = System.nanoTime();
    BenchLaunch.await(request(Addresses.CREATE, spec(name)));
    long t1 = System.nanoTime();
    JsonObject view = BenchLaunch.await(request(Addresses.START, name));
    long t2 = System.nanoTime();
    supervisedTimes.add(t2 - t0);
    slow(name, t2 - t0, view);
    createTimes.add(t1 - t0);
    startTimes.add(t2 - t1);
    spawnToReady.add((long) (view.getDouble("lastStartMs") * 1e6));
  }

  void clear() {
    rawTimes.clear();
    supervisedTimes.clear();
    createTimes.clear();
    startTimes.clear();
    spawnToReady.clear();
    oneRequestTimes.clear();
    cpu.clear();
  }

  /**
   * {@code n} raw QEMUs spawned at once, until each is ready or counted out ({@link RawLaunch.NotReady}: it exited,
   * never connected back or did not answer within {@link #BURST_LIMIT}); then a kill -9 of all the ready ones, until
   * every exit is seen.
   */
  Burst rawBurst(int n, List<Double> killAllMs) throws Exception {
    progress.println("bench: raw, " + n + " QEMUs at once ...");
    long t0 = System.nanoTime();
    List<Future<RawLaunch.Ready>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(raw.launch(dir.resolve("raw/burst" + n + "-" + i), BURST_LIMIT));
    }
    BenchLaunch.await(Future.join(all).otherwiseEmpty());
    List<RawLaunch.Ready> ready = new ArrayList<>();
    Map<String, Integer> why = new java.util.TreeMap<>();
    for (Future<RawLaunch.Ready> f : all) {
      if (f.succeeded()) {
        ready.add(f.result());
      } else {
        String kind = f.cause() instanceof RawLaunch.NotReady nr ? nr.kind() : f.cause().toString();
        if (why.merge(kind, 1, Integer::sum) == 1) {
          progress.println("bench: raw QEMU not ready: " + f.cause().getMessage());
        }
      }
    }
    List<Long> each = ready.stream().map(RawLaunch.Ready::nanos).toList();
    long total = each.stream().mapToLong(Long::longValue).max().orElse(System.nanoTime() - t0);
    long k0 = System.nanoTime();
    for (RawLaunch.Ready r : ready) {
      ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (RawLaunch.Ready r : ready) {
      r.exit().get(60, TimeUnit.SECONDS);
    }
    killAllMs.add((System.nanoTime() - k0) / 1e6);
    for (RawLaunch.Ready r : ready) {
      r.close();
    }
    return new Burst(Percentiles.of(each), total / 1e6, n - ready.size(), why.toString(), Percentiles.of(List.of()));
  }

  /** {@code n} creates+starts at once; a start that fails is counted (by its error code), not waited for again. */
  Burst supervisedBurst(int n, String prefix) throws Exception {
    progress.println("bench: vmsup (" + prefix + "), " + n + " VMs created and started at once ...");
    burstPids.clear();
    createdAt.clear();
    long t0 = System.nanoTime();
    burstStart = t0;
    List<Future<Long>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = prefix + "-" + i;
      all.add(createAndStart(name).map(view -> {
        burstPids.put(name, view.getLong("pid"));
        return System.nanoTime() - t0;
      }));
    }
    BenchLaunch.await(Future.join(all).otherwiseEmpty());
    Map<String, Integer> why = new java.util.TreeMap<>();
    all.stream().filter(Future::failed).forEach(f -> {
      if (why.merge(f.cause() instanceof io.vertx.core.eventbus.ReplyException r ? "code " + r.failureCode()
          : f.cause().getClass().getSimpleName(), 1, Integer::sum) == 1) {
        progress.println("bench: a start failed: " + f.cause().getMessage());
      }
    });
    List<Long> each = all.stream().filter(Future::succeeded).map(Future::result).toList();
    long total = each.stream().mapToLong(Long::longValue).max().orElse(System.nanoTime() - t0);
    return new Burst(Percentiles.of(each), total / 1e6, n - each.size(), why.toString(),
        Percentiles.of(List.copyOf(createdAt)));
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
      ProcessHandle.of(burstPids.remove(name)).ifPresent(ProcessHandle::destroyForcibly);
      crashed.add(name);
      long at = seen.computeIfAbsent(name, x -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
      times.add(at - t0);
      tick("crash detection", i + 1, k);
    }
    BenchLaunch.await(c.unregister());
    return times;
  }

  Future<JsonObject> createAndStart(String name) {
    return burstsInOneRequest ? createStarting(name)
        : request(Addresses.CREATE, spec(name)).compose(v -> {
          createdAt.add(System.nanoTime() - burstStart);
          return request(Addresses.START, name);
        });
  }

  private Future<JsonObject> createStarting(String name) {
    return vertx.eventBus().<JsonObject>request(Addresses.CREATE, spec(name), new DeliveryOptions()
        .setSendTimeout(600_000).addHeader(CreateAndStart.HEADER, "true")).map(Message::body);
  }

  private static JsonObject spec(String name) {
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "none"));
  }

  Future<JsonObject> request(String address, Object nameOrBody) {
    JsonObject body = nameOrBody instanceof JsonObject j ? j : new JsonObject().put("name", nameOrBody);
    // 1,000 starts at once on a busy host take longer than the bus's default 30 s
    return vertx.eventBus().<JsonObject>request(address, body,
        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(600_000)).map(Message::body);
  }

  /** kill -9 of every VM of the last burst at once, until each one's CRASHED event arrived; then deletes them. */
  double killAllUntilCrashed() throws Exception {
    Map<String, Long> pids = new java.util.HashMap<>(burstPids);
    java.util.Set<String> left = ConcurrentHashMap.newKeySet();
    left.addAll(pids.keySet());
    CompletableFuture<Long> allSeen = new CompletableFuture<>();
    MessageConsumer<JsonObject> c = vertx.eventBus().consumer(Addresses.EVENTS, m -> {
      JsonObject e = m.body();
      if ("state".equals(e.getString("type")) && "CRASHED".equals(e.getString("to")) && left.remove(e.getString("vm"))
          && left.isEmpty()) {
        allSeen.complete(System.nanoTime());
      }
    });
    BenchLaunch.await(c.completion());
    long t0 = System.nanoTime();
    pids.values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    long at = left.isEmpty() ? t0 : allSeen.get(120, TimeUnit.SECONDS);
    BenchLaunch.await(c.unregister());
    List<Future<JsonObject>> deletes = new ArrayList<>();
    pids.keySet().forEach(name -> deletes.add(request(Addresses.DELETE, name)));
    crashed.forEach(name -> deletes.add(request(Addresses.DELETE, name)));
    BenchLaunch.await(Future.all(deletes));
    burstPids.clear();
    crashed.clear();
    return (at - t0) / 1e6;
  }

  private void stop(RawLaunch.Ready r) throws Exception {
    ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
    r.exit().get(10, TimeUnit.SECONDS);
    r.close();
  }

  private void tick(String what, int done, int of) {
    if (done % 10 == 0 || done == of) {
      progress.println("bench: " + what + " " + done + "/" + of);
    }
  }
}

package io.vmsup.supervisor.bench;

import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The measuring tools of {@code vmsup bench scale}: bounded bus requests, heap, CPU, SSE clients, blocked threads. */
final class ScaleRig {

  private ScaleRig() {
  }

  /** Descriptors a running VM holds in the daemon: its QMP connection (the liveness watch reads /proc by path). */
  static final int DESCRIPTORS_PER_VM = 1;
  /** Descriptors kept for the JVM, the daemon's own files and sockets, and the bench's 100 SSE connections (x2). */
  private static final int DESCRIPTOR_RESERVE = 1000;

  /** This process's open-file limit (soft), from {@code /proc/self/limits}; Integer.MAX_VALUE when unlimited. */
  static int openFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown: no cap from here
    }
    return Integer.MAX_VALUE;
  }

  /** How many VMs the open-file limit leaves room for. */
  static int vmsWithinDescriptorLimit() {
    int limit = openFileLimit();
    return limit == Integer.MAX_VALUE ? Integer.MAX_VALUE
        : Math.max(1, (limit - DESCRIPTOR_RESERVE) / DESCRIPTORS_PER_VM);
  }

  /** No reply at all for this long means the daemon stalled: the bench stops and says so. */
  static final long STALL_S = 90;

  /**
   * Sends {@code count} requests built by {@code body} to {@code address}, {@code inFlight} at a time; fails on the
   * first failed reply, or when no reply came for {@link #STALL_S} seconds (never hangs). Prints progress every 10 s.
   */
  static void requests(EventBus bus, String address, int count, int inFlight, IntFunction<JsonObject> body,
      String what, java.io.PrintStream err) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    for (int i = 0; i < Math.min(inFlight, count); i++) {
      send(bus, address, count, body, next, done, all, what, err);
    }
    java.util.concurrent.CompletableFuture<Void> f = all.future().toCompletionStage().toCompletableFuture();
    long t0 = System.nanoTime();
    long lastChange = t0;
    long lastPrint = t0;
    int seen = 0;
    while (!f.isDone()) {
      try {
        f.get(1, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException notYet) {
        long now = System.nanoTime();
        int d = done.get();
        if (d != seen) {
          seen = d;
          lastChange = now;
        } else if (now - lastChange > TimeUnit.SECONDS.toNanos(STALL_S)) {
          throw new IOException("the daemon stalled: no " + what + " answered for " + STALL_S + " s (" + d + " of "
              + count + " done, " + (next.get() - d) + " in flight); stopping the bench");
        }
        if (now - lastPrint >= TimeUnit.SECONDS.toNanos(10)) {
          lastPrint = now;
          err.printf("  %s: %d of %d after %.0f s (%.1f/s)%n", what, d, count, (now - t0) / 1e9,
              d / ((now - t0) / 1e9));
        }
      }
    }
    f.get();
    err.printf("  %s: %d of %d in %.1f s%n", what, count, count, (System.nanoTime() - t0) / 1e9);
  }

  private static void send(EventBus bus, String address, int count, IntFunction<JsonObject> body, AtomicInteger next,
      AtomicInteger done, Promise<Void> all, String what, java.io.PrintStream err) {
    int i = next.getAndIncrement();
    if (i >= count) {
      return;
    }
    bus.request(address, body.apply(i), new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(600_000))
        .onFailure(t -> all.tryFail(new IOException(what + " " + i + " failed: " + t.getMessage(), t)))
        .onSuccess(m -> {
          if (done.incrementAndGet() == count) {
            all.tryComplete();
          } else {
            send(bus, address, count, body, next, done, all, what, err);
          }
        });
  }

  /**
   * The live heap: what the heap held right after a full collection, as the collector itself reports it. Reading the
   * heap's "used" some time after {@code System.gc()} also counted what the daemon allocated meanwhile (at rest, every
   * VM's samples and probes: megabytes a second at thousands of VMs), which inflated the figure per VM.
   */
  static long heapAfterGc() throws InterruptedException {
    gcUntil = Long.MAX_VALUE;
    try {
      return heapAfterFullGc();
    } finally { // the checker (1 s interval) reports a stop of every thread once it runs again
      gcUntil = System.nanoTime() + GC_REPORT_NANOS;
    }
  }

  // until when a blocked-thread warning is the bench's own doing: a full collection (heapAfterGc) stops every
  // thread, seconds on a loaded host, and Vert.x's checker then reports each event loop as blocked
  private static volatile long gcUntil = Long.MIN_VALUE;
  private static final long GC_REPORT_NANOS = 3_000_000_000L;

  private static long heapAfterFullGc() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
    System.gc();
    java.util.Set<String> heapPools = new java.util.HashSet<>();
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    com.sun.management.GcInfo last = null;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean g && g.getLastGcInfo() != null
          && (last == null || g.getLastGcInfo().getEndTime() > last.getEndTime())) {
        last = g.getLastGcInfo();
      }
    }
    if (last == null) {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    long used = 0;
    for (var e : last.getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    return used;
  }

  /** This JVM's CPU time so far, in nanoseconds (every thread: the daemon's event loops, workers, GC). */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time per thread-name prefix (the name without its trailing number), of the threads alive now. */
  static java.util.Map<String, Long> cpuByThreadGroup() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null) {
        long cpu = mx.getThreadCpuTime(t.getThreadId());
        if (cpu > 0) {
          out.merge(t.getThreadName().replaceAll("[-#\\s]*\\d+$", ""), cpu, Long::sum);
        }
      }
    }
    return out;
  }

  static int openDescriptors() {
    String[] fds = Path.of("/proc/self/fd").toFile().list();
    return fds == null ? -1 : fds.length;
  }

  // held strongly: JUL keeps loggers weakly, and a collected logger loses its handler (a 10,000 VM run printed 7
  // blocked-thread warnings that the bench counted as 0)
  private static final Logger BLOCKED_CHECKER = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");

  /** Counts the Vert.x blocked-thread warnings from now on. */
  static AtomicLong countBlockedThreadWarnings(AtomicLong duringBenchGc) {
    AtomicLong warnings = new AtomicLong();
    Logger checker = BLOCKED_CHECKER;
    checker.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          (System.nanoTime() - gcUntil < 0 ? duringBenchGc : warnings).incrementAndGet();
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    });
    return warnings;
  }

  /** {@code clients} SSE clients on {@code /v1/events}, each counting the state events it receives. */
  static final class SseClients implements AutoCloseable {
    private final List<Thread> readers = new ArrayList<>();
    private final List<java.io.InputStream> streams = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();

    SseClients(String url, String token, int clients) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      CountDownLatch connected = new CountDownLatch(clients);
      for (int i = 0; i < clients; i++) {
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/events"))
            .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
          throw new IOException("GET /v1/events answered " + r.statusCode());
        }
        streams.add(r.body());
        Thread t = new Thread(() -> read(r.body(), connected), "bench-sse-" + i);
        t.setDaemon(true);
        t.start();
        readers.add(t);
      }
      if (!connected.await(60, TimeUnit.SECONDS)) {
        throw new IOException("the SSE clients did not start");
      }
    }

    private void read(java.io.InputStream in, CountDownLatch connected) {
      connected.countDown();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("data:") && line.contains("\"type\":\"state\"")) {
            received.incrementAndGet();
          }
        }
      } catch (IOException closed) {
        // the bench closed the stream
      }
    }

    long received() {
      return received.get();
    }

    @Override
    public void close() {
      for (java.io.InputStream s : streams) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }

  /** GETs {@code path}; returns {nanos, bytes}. */
  static long[] get(HttpClient http, String url, String token, String path) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url + path))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
    long took = System.nanoTime() - t0;
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + r.statusCode());
    }
    return new long[] {took, r.body().length};
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}

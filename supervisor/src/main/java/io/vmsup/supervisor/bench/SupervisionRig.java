package io.vmsup.supervisor.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.api.SupervisorOptions;
import io.vmsup.supervisor.api.Addresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An in-process supervisor on a throw-away state directory for {@link BenchSupervision}: requests over the event
 * bus and every published event with the {@link System#nanoTime} of its arrival. Blocks the calling (non-Vert.x)
 * thread on futures, with timeouts.
 */
final class SupervisionRig implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);

  /** An event and when it reached this rig. */
  record Arrival(JsonObject event, long nanos) {
  }

  final Path dir;
  private final Vertx vertx;
  private final BlockingQueue<Arrival> events = new LinkedBlockingQueue<>();
  private final List<Arrival> unmatched = new ArrayList<>();
  private Supervisor supervisor;

  /** A supervisor with {@code options} (whose state directory is {@link #dir}: deleted on close). */
  SupervisionRig(SupervisorOptions options) throws Exception {
    this.dir = options.stateDir();
    this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(new Arrival(m.body(), System.nanoTime())));
    this.supervisor = await(Supervisor.start(vertx, options));
  }

  /** Options on a new temporary state directory: a command timeout of {@code commandTimeout}, start within 20 s. */
  static SupervisorOptions options(String prefix, Duration commandTimeout) throws IOException {
    return SupervisorOptions.defaults().withStateDir(Files.createTempDirectory(prefix))
        .withCommandTimeout(commandTimeout).withStartTimeout(Duration.ofSeconds(20));
  }

  /** Shuts the supervisor down (its VMs keep running) and starts a new one on the same directory (re-attach). */
  void restart() throws Exception {
    SupervisorOptions options = supervisor.options();
    await(supervisor.shutdown());
    supervisor = await(Supervisor.start(vertx, options));
  }

  Supervisor supervisor() {
    return supervisor;
  }

  Vertx vertx() {
    return vertx;
  }

  JsonObject request(String address, JsonObject body) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body()));
  }

  /** The failure code of a request that must fail. */
  int failureCode(String address, JsonObject body) throws Exception {
    Throwable failure = await(vertx.eventBus().<JsonObject>request(address, body)
        .transform(ar -> Future.succeededFuture(ar.cause())));
    if (!(failure instanceof ReplyException e)) {
      throw new IllegalStateException(address + " " + body + " was expected to fail, got " + failure);
    }
    return e.failureCode();
  }

  /** A request sent now; its reply (or failure) comes later. */
  Future<JsonObject> send(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body());
  }

  /** A {@code -machine none} VM, created and started; its pid. */
  long startNew(String name, JsonObject supervision) throws Exception {
    request(Addresses.CREATE, new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "none"))
        .put("supervision", supervision));
    return start(name);
  }

  long start(String name) throws Exception {
    return request(Addresses.START, name(name)).getLong("pid");
  }

  static JsonObject name(String name) {
    return new JsonObject().put("name", name);
  }

  /** The next state event of {@code vm} into {@code to} (events since the last match count once). */
  Arrival awaitState(String vm, String to) throws InterruptedException {
    return await(e -> "state".equals(e.getString("type")) && vm.equals(e.getString("vm"))
        && to.equals(e.getString("to")));
  }

  Arrival await(Predicate<JsonObject> p) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (int i = 0; i < unmatched.size(); i++) {
      if (p.test(unmatched.get(i).event())) {
        return unmatched.remove(i);
      }
    }
    while (true) {
      long left = deadline - System.nanoTime();
      Arrival a = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (a == null) {
        throw new IllegalStateException("no matching event within " + WAIT + "; unmatched: " + unmatched.size());
      }
      if (p.test(a.event())) {
        return a;
      }
      unmatched.add(a);
    }
  }

  /** Forgets every event received so far. */
  void drain() {
    events.clear();
    unmatched.clear();
  }

  /** Sends a signal with kill(1) ({@code STOP}, {@code CONT}: the JDK cannot). */
  static void signal(long pid, String sig) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** The bench's one blocking wait (bench threads only, never an event loop): {@link #WAIT} at most. */
  static <T> T await(Future<T> future) throws Exception {
    return await(future, WAIT);
  }

  static <T> T await(Future<T> future, Duration limit) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Shuts down, kills every process that names this directory (SIGCONT first), deletes the directory. */
  @Override
  public void close() throws Exception {
    try {
      await(supervisor.shutdown());
      await(vertx.close());
    } finally {
      String needle = dir.toString();
      for (ProcessHandle p : ProcessHandle.allProcesses().filter(h -> cmdline(h).contains(needle)).toList()) {
        signal(p.pid(), "CONT");
        p.destroyForcibly();
        p.onExit().get(10, TimeUnit.SECONDS);
      }
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static String cmdline(ProcessHandle p) {
    return p.info().arguments().map(a -> String.join(" ", a)).orElse("");
  }
}

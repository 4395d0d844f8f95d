package io.vmsup.supervisor;

import io.vmsup.supervisor.api.SupervisorOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One daemon for a test: a Vert.x with native transport, a Supervisor on a state directory, every published event
 * recorded. Helpers block the JUnit thread (never an event loop) on futures with timeouts.
 */
public final class Fixture implements AutoCloseable {

  private static final Duration LONG = Duration.ofSeconds(60);

  public final Vertx vertx;
  public final Supervisor supervisor;
  /** Every event on {@link Addresses#EVENTS} since before the supervisor started, in publication order. */
  public final BlockingQueue<JsonObject> events;
  private final List<JsonObject> seen = new ArrayList<>();
  private boolean closed;

  private Fixture(Vertx vertx, Supervisor supervisor, BlockingQueue<JsonObject> events) {
    this.vertx = vertx;
    this.supervisor = supervisor;
    this.events = events;
  }

  public static Fixture start(SupervisorOptions options) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(200).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
    // ONE consumer from before the start on: a handler runs on its own event loop, later than the publication, so
    // handing over from a start-up consumer to a second one (drain, then register) lost an event published in
    // between (seen: a restart's CRASHED -> STARTING right after Supervisor.start completed) and doubled others.
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));
    Supervisor sup = Await.result(Supervisor.start(vertx, options), LONG);
    return new Fixture(vertx, sup, events);
  }

  public static SupervisorOptions options(Path stateDir) {
    return SupervisorOptions.defaults().withStateDir(stateDir).withCommandTimeout(Duration.ofSeconds(5))
        .withStartTimeout(Duration.ofSeconds(20));
  }

  /** A minimal spec: {@code -machine none}, with supervision settings merged in. */
  public static JsonObject spec(String name, JsonObject supervision) {
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "none"))
        .put("supervision", supervision);
  }

  public static JsonObject spec(String name) {
    return spec(name, new JsonObject());
  }

  public JsonObject request(String address, JsonObject body) throws Exception {
    return Await.result(vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body()), LONG);
  }

  /** Sends a request that must fail; returns the failure code and body. */
  public ReplyException failure(String address, JsonObject body) throws Exception {
    Throwable e = Await.failure(vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body()), LONG);
    assertThat(e).isInstanceOf(ReplyException.class);
    return (ReplyException) e;
  }

  /** Waits for the next event (every event since the fixture started counts once) matching {@code p}. */
  public JsonObject awaitEvent(Predicate<JsonObject> p, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (int i = 0; i < seen.size(); i++) {
        if (p.test(seen.get(i))) {
          return seen.remove(i);
        }
      }
      long left = deadline - System.nanoTime();
      JsonObject e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        return fail("no matching event within " + timeout + "; unmatched events: " + seen);
      }
      seen.add(e);
    }
  }

  /** Waits for a state event of {@code vm} into {@code to}. */
  public JsonObject awaitState(String vm, String to, Duration timeout) throws InterruptedException {
    return awaitEvent(e -> "state".equals(e.getString("type")) && vm.equals(e.getString("vm"))
        && to.equals(e.getString("to")), timeout);
  }

  /**
   * Shuts the supervisor down (VMs stay up unless the options say otherwise) and closes Vert.x; once only, so a test
   * may close its fixture and {@link SupervisorExtension} still cleans up after every test.
   */
  @Override
  public void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Await.result(supervisor.shutdown(), LONG);
    } finally {
      Await.result(vertx.close(), Duration.ofSeconds(30));
    }
  }

  /** The body of a request that names a VM. */
  /** The QMP socket of VM {@code vm} of this fixture's daemon. */
  public java.nio.file.Path qmpSocket(String vm) {
    return io.vmsup.supervisor.bench.QmpCut.socketOf(supervisor.options().stateDir(), vm);
  }

  public static JsonObject name(String n) {
    return new JsonObject().put("name", n);
  }

  /** SIGCONT then SIGKILL every process whose command line mentions {@code dir}; waits until they are gone. */
  public static void killAll(Path dir) throws Exception {
    String needle = dir.toString();
    List<ProcessHandle> ours = ProcessHandle.allProcesses()
        .filter(p -> cmdline(p.pid()).contains(needle)).toList();
    for (ProcessHandle p : ours) {
      signal(p.pid(), "CONT");
      p.destroyForcibly();
    }
    for (ProcessHandle p : ours) {
      p.onExit().get(10, TimeUnit.SECONDS);
    }
  }

  public static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }

  /** Sends a signal with kill(1), for those the JDK cannot send (STOP, CONT). */
  public static void signal(long pid, String sig) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start();
    p.waitFor(10, TimeUnit.SECONDS);
  }
}

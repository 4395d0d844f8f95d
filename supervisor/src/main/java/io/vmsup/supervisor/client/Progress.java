package io.vmsup.supervisor.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows a long operation's progress on stderr while its request runs: follows the VM's event stream (subscribed
 * before the request is sent, so no step is missed) and prints one line per event, and a "still waiting" line
 * after every {@value #TICK_SECONDS} s without one (a stop with a long grace is not silent).
 */
final class Progress implements AutoCloseable {

  static final int TICK_SECONDS = 5;
  private static final long SUBSCRIBE_WAIT_SECONDS = 5;

  private final String vm;
  private final PrintStream err;
  private final long begun = System.nanoTime();
  private final AtomicLong lastLine = new AtomicLong(System.nanoTime());
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private final ScheduledExecutorService ticker;
  private ApiClient.Stream stream;

  private Progress(String vm, PrintStream err) {
    this.vm = vm;
    this.err = err;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vmsup-progress");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts following; returns once the stream is subscribed (or could not be, then only the ticker runs). */
  static Progress follow(ApiClient client, String vm, PrintStream err) throws InterruptedException {
    Progress p = new Progress(vm, err);
    try {
      p.stream = client.open(Session.vmPath(vm) + "/events");
      Thread reader = new Thread(p::read, "vmsup-events");
      reader.setDaemon(true);
      reader.start();
      p.subscribed.await(SUBSCRIBE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (IOException e) {
      p.subscribed.countDown();
    }
    p.ticker.scheduleAtFixedRate(p::tick, TICK_SECONDS, 1, TimeUnit.SECONDS);
    return p;
  }

  private void read() {
    try {
      stream.follow(subscribed::countDown, this::event);
    } catch (IOException e) {
      // the stream ends when the command closes it or the daemon goes away; the request's reply tells the rest
    } finally {
      subscribed.countDown();
    }
  }

  private void event(String data) {
    JsonObject e;
    try {
      e = new JsonObject(data);
    } catch (DecodeException ex) {
      return;
    }
    String line = switch (e.getString("type", "")) {
      case "state" -> e.getString("from") + " -> " + e.getString("to") + " (" + e.getString("reason") + ")";
      case "stop-step" -> "stop step: " + e.getString("step");
      case "qmp" -> "QEMU event " + e.getString("event");
      default -> e.getString("type", "event");
    };
    say(line);
  }

  private void tick() {
    long quiet = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastLine.get());
    if (quiet >= TICK_SECONDS) {
      say("still waiting (" + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begun) + " s)");
    }
  }

  private void say(String line) {
    lastLine.set(System.nanoTime());
    err.println(vm + ": " + line.replaceAll("\\p{Cntrl}", "?"));
    err.flush();
  }

  /** The end: the final state, as the reply reported it. */
  void finished(JsonObject view) {
    if (view.getValue("state") instanceof String state) {
      say("final state " + state + " (" + view.getValue("reason") + ")");
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    if (stream != null) {
      // HttpURLConnection.disconnect() waits for the lock the reader thread holds while it blocks in a read, i.e.
      // until the next SSE heartbeat or the read timeout (a 'vm start' took 30 s instead of 0.5 s): close it on a
      // daemon thread of its own, so the command ends with its reply
      Thread closer = new Thread(stream::close, "vmsup-events-close");
      closer.setDaemon(true);
      closer.start();
    }
  }
}

package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VM's serial console as the supervisor offers it: lines from {@code vmsup.console.<vm>}, input through {@code
 * vmsup.vm.console.write}. Waits block the test thread on the queue with a timeout, never sleep.
 */
final class BusConsole implements AutoCloseable {

  private static final Pattern BEGIN = Pattern.compile("^CMD-BEGIN (\\d+)$");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Fixture f;
  private final String vm;
  private boolean closed;
  private final BlockingQueue<JsonObject> queue = new LinkedBlockingQueue<>();
  private final List<JsonObject> received = new ArrayList<>();
  private final MessageConsumer<JsonObject> consumer;

  private BusConsole(Fixture f, String vm) {
    this.f = f;
    this.vm = vm;
    this.consumer = f.vertx.eventBus().consumer(Addresses.console(vm), m -> queue.add(m.body()));
  }

  /** Subscribes now; every line published from here on is received once. */
  static BusConsole subscribe(Fixture f, String vm) throws Exception {
    BusConsole c = new BusConsole(f, vm);
    Await.result(c.consumer.completion(), WAIT);
    return c;
  }

  /** Every line received so far (also those already consumed by a wait). */
  List<JsonObject> received() {
    return List.copyOf(received);
  }

  /** The next line, in order. */
  JsonObject next(Duration timeout) throws InterruptedException {
    JsonObject line = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      return fail("no console line of VM '" + vm + "' within " + timeout + "; last lines: " + tail());
    }
    assertThat(line.getString("vm")).isEqualTo(vm);
    received.add(line);
    return line;
  }

  /** Skips lines until one matches; returns its matcher. */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      if (System.nanoTime() > deadline) {
        return fail("no console line matching '" + pattern + "' within " + timeout + "; last lines: " + tail());
      }
      Matcher m = pattern.matcher(next(Duration.ofMillis(left)).getString("line"));
      if (m.find()) {
        return m;
      }
    }
  }

  Matcher awaitLine(String literal, Duration timeout) throws InterruptedException {
    return awaitLine(Pattern.compile(Pattern.quote(literal)), timeout);
  }

  void write(String data) throws Exception {
    JsonObject r = f.request(Addresses.CONSOLE_WRITE, new JsonObject().put("name", vm).put("data", data));
    assertThat(r.getInteger("bytes")).isPositive();
  }

  /** Runs one line in the guest's command loop; returns its output lines (the rc is asserted 0). */
  List<String> run(String command, Duration timeout) throws Exception {
    write(command + "\n");
    String n = awaitLine(BEGIN, timeout).group(1);
    Pattern end = Pattern.compile("^CMD-END " + n + " rc=(\\d+)$");
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = next(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)))
          .getString("line");
      Matcher m = end.matcher(line);
      if (m.matches()) {
        assertThat(m.group(1)).as("exit code of '%s', output %s", command, out).isEqualTo("0");
        return out;
      }
      if (sameButDoubled(line.replace("\r", ""), "CMD-END " + n + " rc=0")) {
        return out; // the end line of a flood, with a character doubled by QEMU (see sameButDoubled)
      }
      out.add(line);
    }
  }

  /**
   * True when {@code actual} is {@code expected} with some characters doubled. QEMU 7.2's chardev logs a byte whose
   * socket write failed with EAGAIN and the UART then sends it again, so under a fast stream serial.log (and so the
   * console) may show a character (or a line end) twice; lines are neither lost nor repeated.
   */
  static boolean sameButDoubled(String actual, String expected) {
    int j = 0;
    for (int i = 0; i < actual.length(); i++) {
      if (j < expected.length() && actual.charAt(i) == expected.charAt(j)) {
        j++;
      } else if (i == 0 || actual.charAt(i) != actual.charAt(i - 1)) {
        return false;
      }
    }
    return j == expected.length();
  }

  private String tail() {
    return received.subList(Math.max(0, received.size() - 15), received.size()).stream()
        .map(l -> l.getString("line")).toList().toString();
  }

  @Override
  public void close() throws Exception {
    if (!closed) {
      closed = true;
      Await.result(consumer.unregister(), WAIT);
    }
  }
}

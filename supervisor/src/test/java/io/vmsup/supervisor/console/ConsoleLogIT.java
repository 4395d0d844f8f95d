package io.vmsup.supervisor.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console verticle following a VM's {@code serial.log} (appended here by the test, as QEMU would; the guest
 * tests cover QEMU writing it): the stream, the read-then-subscribe recipe, truncation, errors.
 */
class ConsoleLogIT {

  private static final Duration T = Duration.ofSeconds(10);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;

  private Path log(String vm) {
    return supervisors.dir().resolve("vms").resolve(vm).resolve("serial.log");
  }

  private void append(String vm, String text) throws Exception {
    Files.writeString(log(vm), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private BlockingQueue<JsonObject> subscribe(String vm) throws Exception {
    BlockingQueue<JsonObject> q = new LinkedBlockingQueue<>();
    Await.result(f.vertx.eventBus().<JsonObject>consumer(Addresses.console(vm), m -> q.add(m.body())).completion(),
        T);
    return q;
  }

  private static JsonObject next(BlockingQueue<JsonObject> q) throws Exception {
    JsonObject e = q.poll(T.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(e).as("a console line within " + T).isNotNull();
    return e;
  }

  @Test
  void historyThenLiveLinesWithoutGapOrDuplicate() throws Exception {
    f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("c"));
    BlockingQueue<JsonObject> early = subscribe("c");
    append("c", "boot 1\r\nboot 2\n");
    assertThat(next(early).getString("line")).isEqualTo("boot 1");
    assertThat(next(early)).isEqualTo(new JsonObject().put("line", "boot 2").put("offset", 8).put("vm", "c"));

    append("c", "half");
    BlockingQueue<JsonObject> late = subscribe("c");
    JsonObject history = f.request(Addresses.CONSOLE_READ, new JsonObject().put("name", "c"));
    assertThat(history.getJsonArray("lines").stream().map(o -> ((JsonObject) o).getString("line")).toList())
        .containsExactly("boot 1", "boot 2");
    long next = history.getLong("next");
    assertThat(next).isEqualTo(15);
    append("c", " done\nlive\n");
    JsonObject first = next(late);
    assertThat(first.getLong("offset")).isGreaterThanOrEqualTo(next);
    assertThat(first.getString("line")).isEqualTo("half done");
    assertThat(next(late).getString("line")).isEqualTo("live");

    JsonObject two = f.request(Addresses.CONSOLE_READ, new JsonObject().put("name", "c").put("lines", 2));
    assertThat(two.getJsonArray("lines").stream().map(o -> ((JsonObject) o).getString("line")).toList())
        .containsExactly("half done", "live");
    JsonObject resumed = f.request(Addresses.CONSOLE_READ, new JsonObject().put("name", "c").put("after", 0));
    assertThat(resumed.getJsonArray("lines").stream().map(o -> ((JsonObject) o).getString("line")).toList())
        .as("lines after the first one, as an SSE reconnect with Last-Event-ID: 0 needs")
        .containsExactly("boot 2", "half done", "live");
    assertThat(resumed.getBoolean("truncated")).isFalse();
    assertThat(f.failure(Addresses.CONSOLE_READ, new JsonObject().put("name", "c").put("after", -1)).failureCode())
        .isEqualTo(400);
  }

  @Test
  void aTruncatedLogIsFollowedFromItsStart() throws Exception {
    f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("t"));
    BlockingQueue<JsonObject> q = subscribe("t");
    append("t", "old line one\nold line two\n");
    next(q);
    next(q);
    Files.writeString(log("t"), "new\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    assertThat(next(q)).isEqualTo(new JsonObject().put("line", "new").put("offset", 0).put("vm", "t"));
  }

  @Test
  void afterADaemonRestartALineWrittenOnceItIsReadyIsLiveNotHistory() throws Exception {
    f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("r"));
    append("r", "before the restart\n");
    f.close();

    f = supervisors.start();
    BlockingQueue<JsonObject> q = subscribe("r");
    append("r", "after\n");
    assertThat(next(q)).isEqualTo(new JsonObject().put("line", "after").put("offset", 19).put("vm", "r"));
  }

  @Test
  void badRequestsFailWithTheirCodes() throws Exception {
    f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("e"));
    assertThat(f.failure(Addresses.CONSOLE_READ, new JsonObject().put("name", "nope")).failureCode()).isEqualTo(404);
    assertThat(f.failure(Addresses.CONSOLE_READ, new JsonObject().put("name", "e").put("lines", 0)).failureCode())
        .isEqualTo(400);
    assertThat(f.failure(Addresses.CONSOLE_WRITE, new JsonObject().put("name", "e")).failureCode()).isEqualTo(400);
    assertThat(f.failure(Addresses.CONSOLE_WRITE, new JsonObject().put("name", "e").put("data", "x\n"))
        .failureCode()).as("not running").isEqualTo(409);
    assertThat(f.request(Addresses.CONSOLE_READ, new JsonObject().put("name", "e")).getJsonArray("lines")).isEmpty();
  }

  @Test
  void writeReachesTheSerialSocketOfARunningQemu() throws Exception {
    f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("w"));
    f.request(Addresses.START, new JsonObject().put("name", "w"));
    assertThat(supervisors.dir().resolve("vms/w/serial.sock")).exists();
    JsonObject r = f.request(Addresses.CONSOLE_WRITE, new JsonObject().put("name", "w").put("data", "hello\n"));
    assertThat(r.getInteger("bytes")).isEqualTo(6);
    f.request(Addresses.KILL, new JsonObject().put("name", "w"));
  }

  /**
   * A change that inotify does not report (written through a hard link in another directory: the kernel tells the
   * directory the file was opened through, not the VM's) is read by the paced sweep, which looks at every log once
   * in ~30 s: each line arrives once, in order, and so do the lines written after it.
   */
  @Test
  void aChangeNoWatchReportsIsReadByTheSweepWithNothingLost() throws Exception {
    f = supervisors.start();
    f.request(Addresses.CREATE, Fixture.spec("h"));
    BlockingQueue<JsonObject> q = subscribe("h");
    append("h", "seen\n");
    assertThat(next(q).getString("line")).isEqualTo("seen");
    Path alias = Files.createLink(Files.createDirectories(supervisors.dir().resolve("elsewhere")).resolve("alias"),
        log("h"));
    Files.writeString(alias, "unseen 1\nunseen 2\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    JsonObject first = q.poll(120, TimeUnit.SECONDS);
    assertThat(first).as("the sweep reads the log within its period").isNotNull();
    assertThat(first).isEqualTo(new JsonObject().put("line", "unseen 1").put("offset", 5).put("vm", "h"));
    assertThat(next(q)).isEqualTo(new JsonObject().put("line", "unseen 2").put("offset", 14).put("vm", "h"));
    append("h", "seen again\n");
    assertThat(next(q)).isEqualTo(new JsonObject().put("line", "seen again").put("offset", 23).put("vm", "h"));
    assertThat(q.poll(500, TimeUnit.MILLISECONDS)).as("no line twice").isNull();
  }

  /**
   * More changed logs than one round reads (its budget is 256): every line still arrives, exactly once, in the
   * following rounds, and a VM created after the daemon started is followed from its log's first byte.
   */
  @Test
  void moreChangedLogsThanOneRoundReadsLoseNothing() throws Exception {
    f = supervisors.start();
    int n = 300;
    BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
    for (int i = 0; i < n; i++) {
      String vm = "m" + i;
      f.request(Addresses.CREATE, Fixture.spec(vm));
      Await.result(f.vertx.eventBus().<JsonObject>consumer(Addresses.console(vm), m -> lines.add(m.body()))
          .completion(), T);
    }
    for (int i = 0; i < n; i++) {
      append("m" + i, "line of m" + i + "\n");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      JsonObject e = lines.poll(60, TimeUnit.SECONDS);
      assertThat(e).as("line %d of %d", i + 1, n).isNotNull();
      assertThat(e.getString("line")).isEqualTo("line of " + e.getString("vm"));
      assertThat(seen.add(e.getString("vm"))).as("one line per VM: %s", e).isTrue();
    }
    assertThat(lines.poll(500, TimeUnit.MILLISECONDS)).as("no line twice").isNull();
  }
}

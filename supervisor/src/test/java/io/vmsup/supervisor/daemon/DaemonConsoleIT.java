package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.guest.GuestImage;
import io.vmsup.supervisor.guest.TestGuest;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/vms/{name}/console} with a real guest booted through the daemon: a stream opened after
 * {@code GUEST-READY} replays the boot lines, then carries the output of a command written with {@code POST
 * /console}; every line once, with its offset as the SSE id; {@code Last-Event-ID} resumes after a line.
 */
@ExtendWith(TestGuest.class)
class DaemonConsoleIT {

  private static final Pattern END = Pattern.compile("^CMD-END \\d+ rc=0$");

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;
  private HttpClient sse;

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start(DaemonFixture.config(daemons.state()).withAllowedPaths(TestGuest.image().roots()));
    sse = daemons.httpClient();
  }

  /** The guest as the README boots it: q35, accel auto, 256M, direct kernel boot, a pvpanic device. */
  static JsonObject spec(String name, GuestImage guest) {
    JsonObject kernel = new JsonObject().put("path", guest.kernel().toString())
        .put("initrd", guest.initrd().toString()).put("cmdline", GuestImage.append());
    return new JsonObject().put("name", name)
        .put("machine", new JsonObject().put("type", "q35").put("accel", "auto"))
        .put("cpu", "max").put("memory", new JsonObject().put("size", "256M")).put("kernel", kernel)
        .put("devices", new JsonArray().add(new JsonObject().put("kind", "pvpanic").put("id", "panic0")));
  }

  private SseRecorder console(String query, String lastEventId) throws Exception {
    return Await.result(SseRecorder.open(sse, daemon.daemon.url(), "/v1/vms/g/console" + query,
        daemon.daemon.token().value(), lastEventId));
  }

  private static Predicate<JsonObject> line(String text) {
    return e -> text.equals(e.getString("line"));
  }

  private static Predicate<JsonObject> line(Pattern pattern) {
    return e -> e.getString("line") != null && pattern.matcher(e.getString("line")).matches();
  }

  @Test
  void aStreamOpenedAfterReadyReplaysTheBootThenCarriesCommandOutputLive(GuestImage guest) throws Exception {
    daemon.ok("POST", "/v1/vms", spec("g", guest));
    SseRecorder early = console("", null);
    daemon.ok("POST", "/v1/vms/g/start", null);
    List<JsonObject> boot = Await.result(early.until(line(GuestImage.READY)));
    long readyOffset = boot.stream().filter(line(GuestImage.READY)).findFirst().orElseThrow().getLong("offset");

    SseRecorder late = console("?lines=10000", null);
    List<JsonObject> history = Await.result(late.until(e -> e.containsKey("next")));
    JsonObject seam = history.get(history.size() - 1);
    List<JsonObject> replayed = history.subList(0, history.size() - 1);
    System.out.println("console history over SSE: " + replayed.stream().map(e -> e.getString("line")).toList());
    assertThat(replayed).anyMatch(line(GuestImage.READY));
    assertThat(replayed.get(0).getLong("offset")).as("the history starts at the log's first line").isZero();
    assertThat(seam.getInteger("lines")).isEqualTo(replayed.size());
    assertThat(seam.getBoolean("truncated")).isFalse();

    JsonObject written = daemon.ok("POST", "/v1/vms/g/console", new JsonObject().put("data", "nproc\n"));
    assertThat(written.getInteger("bytes")).isEqualTo(6);
    List<JsonObject> all = Await.result(late.until(line(END)));
    List<String> after = all.subList(history.size(), all.size()).stream().map(e -> e.getString("line")).toList();
    assertThat(after).as("live lines after the history").hasSize(3);
    assertThat(after.get(0)).matches("CMD-BEGIN \\d+");
    assertThat(after.get(1)).isEqualTo("1");
    assertThat(after.get(2)).matches("CMD-END \\d+ rc=0");
    assertOnceEachWithTheOffsetAsId(late, all);
    Await.result(early.until(line(END)));

    SseRecorder resumed = console("", String.valueOf(readyOffset));
    List<JsonObject> since = Await.result(resumed.until(line(END)));
    assertThat(since.stream().filter(e -> e.containsKey("line")))
        .allMatch(e -> e.getLong("offset") > readyOffset)
        .anyMatch(line(END));
    assertThat(since).noneMatch(line(GuestImage.READY));
  }

  private static void assertOnceEachWithTheOffsetAsId(SseRecorder stream, List<JsonObject> events) throws Exception {
    List<String> ids = Await.result(stream.ids());
    long previous = -1;
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = events.get(i);
      if (!e.containsKey("line")) {
        continue;
      }
      long offset = e.getLong("offset");
      assertThat(ids.get(i)).isEqualTo(String.valueOf(offset));
      assertThat(offset).as("offsets only grow: no line twice, none out of order").isGreaterThan(previous);
      previous = offset;
    }
  }
}

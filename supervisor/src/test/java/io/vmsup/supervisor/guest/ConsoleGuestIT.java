package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The supervisor's serial console with a real guest: boot lines for a late subscriber from the history, live lines
 * after it without gap or duplicate, commands written through {@code console.write}, and all of it again after the
 * daemon restarted while the guest kept running.
 */
@ExtendWith(TestGuest.class)
class ConsoleGuestIT {

  private static final Duration BOOT = Duration.ofSeconds(60);
  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;

  private BusConsole subscribe(String vm) throws Exception {
    return supervisors.closeAfter(BusConsole.subscribe(f, vm));
  }

  static JsonObject spec(String name, GuestImage guest) {
    JsonObject kernel = new JsonObject().put("path", guest.kernel().toString())
        .put("initrd", guest.initrd().toString()).put("cmdline", GuestImage.append());
    return new JsonObject().put("name", name).put("cpu", "max").put("kernel", kernel);
  }

  private JsonObject history(String vm) throws Exception {
    return f.request(Addresses.CONSOLE_READ, new JsonObject().put("name", vm).put("lines", 10_000));
  }

  private static List<String> texts(JsonArray lines) {
    return lines.stream().map(o -> ((JsonObject) o).getString("line")).toList();
  }

  @Test
  void aLateSubscriberGetsBootLinesFromHistoryThenLiveLinesAndCommandsRun(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    f.request(Addresses.CREATE, spec("g", guest));
    BusConsole early = subscribe("g");
    f.request(Addresses.START, new JsonObject().put("name", "g"));
    early.awaitLine(GuestImage.READY, BOOT);
    long readyOffset = last(early).getLong("offset");
    assertThat(early.run("echo before-late", T)).containsExactly("before-late");

    BusConsole late = subscribe("g");
    JsonObject h = history("g");
    JsonArray lines = h.getJsonArray("lines");
    assertThat(texts(lines)).contains(GuestImage.READY, "before-late");
    assertThat(lines.stream().map(o -> ((JsonObject) o).getLong("offset")).toList()).isSorted()
        .contains(readyOffset);
    assertThat(lines.getJsonObject(0).getLong("offset")).as("history from the first boot line").isZero();
    System.out.println("console history of the boot: " + texts(lines));
    long next = h.getLong("next");

    List<String> out = late.run("echo console-$((6*7))", T);
    assertThat(out).containsExactly("console-42");
    assertThat(late.received()).extracting(l -> l.getString("line")).doesNotContain("before-late");
    assertThat(late.received()).allSatisfy(l -> assertThat(l.getLong("offset")).isGreaterThanOrEqualTo(next));
    early.awaitLine("console-42", T);
    assertThat(late.received()).as("both subscribers saw the same line at the same offset").contains(last(early));
  }

  @Test
  void afterADaemonRestartTheConsoleStillStreamsAndTakesInput(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    f.request(Addresses.CREATE, spec("g", guest));
    BusConsole before = subscribe("g");
    long pid = f.request(Addresses.START, new JsonObject().put("name", "g")).getLong("pid");
    before.awaitLine(GuestImage.READY, BOOT);
    assertThat(before.run("echo first-daemon", T)).containsExactly("first-daemon");
    before.close();
    f.close();

    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    assertThat(f.request(Addresses.GET, new JsonObject().put("name", "g")).getLong("pid")).isEqualTo(pid);
    BusConsole after = subscribe("g");
    assertThat(texts(history("g").getJsonArray("lines"))).contains(GuestImage.READY, "first-daemon");
    assertThat(after.run("echo second-daemon", T)).containsExactly("second-daemon");
    assertThat(after.received()).extracting(l -> l.getString("line")).doesNotContain("first-daemon");
  }

  private static JsonObject last(BusConsole c) {
    List<JsonObject> r = c.received();
    return r.get(r.size() - 1);
  }
}

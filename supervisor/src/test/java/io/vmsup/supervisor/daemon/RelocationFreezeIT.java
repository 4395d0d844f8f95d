package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.daemon.FleetRig.Member;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relocation with the owner's daemon frozen (SIGSTOP), not killed: its JVM holds its sockets open and its QEMU runs
 * on, so only the lease tells. The owner is also Hazelcast's master, so the survivors first agree on a new one. The watchdog (a process of its own session, not frozen) kills the QEMU once the lease
 * runs out; the other two relocate the VM at generation 2, and its new QEMU starts after the kill. Then the daemon
 * is thawed (SIGCONT): it finds the VM owned by another host with a higher generation, does not start its copy
 * again, fences its record (event {@code fenced} after {@code relocated}), and the fleet is whole again. QEMUs of
 * that name, sampled every 100 ms all along, never number two.
 */
class RelocationFreezeIT {

  private static final Duration CONVERGE = Duration.ofSeconds(150);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aFrozenOwnersVmRunsElsewhereAndTheThawedDaemonFencesItsCopy() throws Exception {
    Path shared = daemons.dir("shared");
    Path disk = shared.resolve("frozen.img");
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(1 << 20);
    }
    String[] extra = {"--fence", "on", "--fence-after", "2", "--allowed-paths", shared.toString()};
    FleetRig fleet = new FleetRig(daemons, "fa", "fb", "fc");
    // fa first: the frozen owner is Hazelcast's master (the oldest member), so fb claims mastership and both
    // survivors connect to the frozen fa (its kernel accepts, it never answers). With Hazelcast's default network that
    // spun a survivor's NIO output thread and split the survivors until fa was resumed (docs/fleet.md, "When the
    // master freezes"); the daemons use the advanced network's member endpoint since
    Member a = fleet.start("fa", extra);
    Member b = fleet.start("fb", extra);
    Member c = fleet.start("fc", extra);
    Await.until("three hosts up", () -> whole(a, b, c), CONVERGE);

    JsonObject spec = TestSpecs.q35WithDisk("frozen", disk.toString())
        .put("placement", new JsonObject().put("host", "fa"))
        .put("supervision", new JsonObject().put("onHostLoss", "relocate").put("restart", "on-failure"));
    b.ok("POST", "/v1/vms", spec.encode());
    long oldPid = b.ok("POST", "/v1/vms/frozen/start", null).getLong("pid");
    // ten renewals with the VM in the lease: its running state was published to the others long before
    Await.until("fa's watchdog guards frozen", () -> RelocationIT.read(a.state().resolve("fence/watchdog.log"))
        .contains("guarding [frozen]"), CONVERGE);

    Sampler copies = Sampler.start(daemons, "frozen");
    HttpClient sse = daemons.httpClient();
    SseRecorder events = Await.result(SseRecorder.open(sse, b.url(), "/v1/vms/frozen/events", FleetIT.token(b)));
    long daemonPid = a.process().process.pid();
    Fixture.signal(daemonPid, "STOP");
    daemons.closeAfter(() -> Fixture.signal(daemonPid, "CONT"));
    // a request forwarded to the frozen owner is never answered by it: it fails host-lost once fb sees fa lost
    // (or, sent after that, fb answers the lost view itself), never by running into its timeout
    CompletableFuture<ApiClient.Response> inFlight = CompletableFuture.supplyAsync(() -> {
      try {
        return b.api().send("GET", "/v1/vms/frozen", null);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });

    Await.until("fa's watchdog killed frozen", () -> RelocationIT.read(a.state().resolve("fence/fenced.log"))
        .contains("\"frozen\""), CONVERGE);
    JsonObject fenced = new JsonObject(Files.readAllLines(a.state().resolve("fence/fenced.log")).get(0));
    assertThat(fenced.getLong("pid")).isEqualTo(oldPid);
    assertThat(fenced.getString("outcome")).isEqualTo("killed");
    assertThat(a.process().process.isAlive()).as("fa's daemon is frozen, not dead").isTrue();
    Await.until("frozen RUNNING on fb or fc", () -> {
      JsonObject v = get(b, "/v1/vms/frozen");
      return "RUNNING".equals(v.getString("state")) && List.of("fb", "fc").contains(v.getString("host"));
    }, CONVERGE);
    ApiClient.Response during = inFlight.get(CONVERGE.toSeconds(), TimeUnit.SECONDS);
    assertThat(during.status()).as(during.body()).isIn(200, 503);
    assertThat(new JsonObject(during.body()).getString("reason")).as(during.body()).isEqualTo("host-lost");
    JsonObject moved = b.ok("GET", "/v1/vms/frozen", null);
    String owner = moved.getString("host");
    assertThat(moved.getLong("generation")).isEqualTo(2L);
    assertThat(Instant.parse(fenced.getString("at"))).isBefore(Instant.parse(moved.getString("startedAt")));
    assertThat(FenceIT.alive(oldPid)).as("the old copy is dead").isFalse();

    Fixture.signal(daemonPid, "CONT");
    List<JsonObject> seen = Await.result(events.until(e -> "fenced".equals(e.getString("type"))), CONVERGE);
    int lost = indexOf(seen, e -> "host-lost".equals(e.getString("reason")));
    int relocated = indexOf(seen, e -> "relocated".equals(e.getString("type")));
    int yielded = seen.size() - 1;
    assertThat(lost).as("host-lost in %s", seen).isGreaterThanOrEqualTo(0);
    assertThat(relocated).as("relocated after host-lost in %s", seen).isGreaterThan(lost);
    assertThat(yielded).as("fenced after relocated in %s", seen).isGreaterThan(relocated);
    assertThat(seen.get(relocated).getLong("generation")).isEqualTo(2L);
    assertThat(seen.get(yielded).getString("host")).isEqualTo("fa");
    assertThat(seen.get(yielded).getString("owner")).isEqualTo(owner);
    assertThat(seen.get(yielded).getLong("generation")).isEqualTo(2L);

    Await.until("the fleet is whole again and fa lists frozen once, on its owner", () -> whole(a, b, c)
        && owner.equals(get(a, "/v1/vms/frozen").getString("host"))
        && a.ok("GET", "/v1/vms", null).getJsonArray("vms").stream()
            .filter(o -> "frozen".equals(((JsonObject) o).getString("name"))).count() == 1, CONVERGE);
    Await.until("one copy, the owner's", () -> {
      JsonObject v = get(b, "/v1/vms/frozen");
      return "RUNNING".equals(v.getString("state")) && !"fa".equals(v.getString("host"))
          && RelocationIT.qemusNamed("frozen").equals(List.of(v.getLong("pid")));
    }, CONVERGE);
    assertThat(copies.most()).as("QEMUs named frozen at once, sampled all along").isEqualTo(1);
    b.ok("POST", "/v1/vms/frozen/kill", null);
  }

  private static boolean whole(Member... members) {
    for (Member m : members) {
      try {
        if (FleetIT.upHosts(m).size() != members.length) {
          return false;
        }
      } catch (Exception e) {
        return false;
      }
    }
    return true;
  }

  private static JsonObject get(Member m, String path) {
    try {
      var r = m.api().send("GET", path, null);
      return r.status() == 200 ? new JsonObject(r.body()) : new JsonObject();
    } catch (Exception e) {
      return new JsonObject();
    }
  }

  private static int indexOf(List<JsonObject> events, Predicate<JsonObject> match) {
    for (int i = 0; i < events.size(); i++) {
      if (match.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }
}

package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.daemon.FleetRig.Member;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relocation with fencing, three real daemons (separate JVMs, real Hazelcast members, each with its watchdog) and a
 * real QEMU whose raw disk is a file all three see (the same file system stands for shared storage). kill -9 of the
 * owner's daemon: its watchdog kills the QEMU once the lease (2 s) runs out, and only after that does the VM start
 * on another host, at generation 2. The witnesses that two copies never ran at once: the disk's lock (a second QEMU
 * cannot open an image another QEMU holds, so the new copy could not have started while the old one ran), the
 * watchdog's record before the new copy's start, and the event order. The old host restarted on its state
 * directory does not run a second copy: its restart policy's attempt is refused (the directory names the new
 * owner), and it deletes its stale record with a {@code fenced} event.
 */
class RelocationIT {

  private static final Duration CONVERGE = Duration.ofSeconds(120);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aLostHostsRelocatableVmRunsElsewhereOnceAndTheReturningHostDoesNotRunIt() throws Exception {
    Path shared = daemons.dir("shared");
    Path disk = shared.resolve("mover.img");
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(1 << 20);
    }
    String[] extra = {"--fence", "on", "--fence-after", "2", "--allowed-paths", shared.toString()};
    FleetRig fleet = new FleetRig(daemons, "ra", "rb", "rc");
    Member a = fleet.start("ra", extra);
    Member b = fleet.start("rb", extra);
    Member c = fleet.start("rc", extra);
    Await.until("three hosts up", () -> List.of(a, b, c).stream().allMatch(m -> {
      try {
        return FleetIT.upHosts(m).size() == 3;
      } catch (Exception e) {
        return false;
      }
    }), CONVERGE);

    JsonObject spec = TestSpecs.q35WithDisk("mover", disk.toString())
        .put("placement", new JsonObject().put("host", "ra"))
        .put("supervision", new JsonObject().put("onHostLoss", "relocate").put("restart", "on-failure"));
    b.ok("POST", "/v1/vms", spec.encode());
    long oldPid = b.ok("POST", "/v1/vms/mover/start", null).getLong("pid");
    // the lease guards it (the watchdog logs every tenth renewal): by then the others know its spec and lease too
    Await.until("ra's watchdog guards mover", () -> read(a.state().resolve("fence/watchdog.log"))
        .contains("guarding [mover]"), CONVERGE);

    // the witness of "never two copies" at any moment, not only at the checks below: /proc sampled all along
    Sampler copies = Sampler.start(daemons, "mover");
    HttpClient sse = daemons.httpClient();
    SseRecorder events = Await.result(SseRecorder.open(sse, b.url(), "/v1/vms/mover/events", FleetIT.token(b)));
    a.process().process.destroyForcibly();

    Await.until("mover RUNNING on another host", () -> {
      var r = b.api().send("GET", "/v1/vms/mover", null);
      JsonObject v = r.status() == 200 ? new JsonObject(r.body()) : new JsonObject();
      return "RUNNING".equals(v.getString("state")) && !"ra".equals(v.getString("host"));
    }, CONVERGE);
    JsonObject moved = b.ok("GET", "/v1/vms/mover", null);
    assertThat(moved.getString("host")).isIn("rb", "rc");
    assertThat(moved.getLong("generation")).isEqualTo(2L);
    long newPid = moved.getLong("pid");
    assertThat(newPid).isNotEqualTo(oldPid);
    assertThat(FenceIT.alive(oldPid)).as("the old copy is dead").isFalse();
    // the watchdog killed the old copy before the new one started (the disk lock would have refused it otherwise)
    JsonObject fenced = new JsonObject(Files.readAllLines(a.state().resolve("fence/fenced.log")).get(0));
    assertThat(fenced.getString("vm")).isEqualTo("mover");
    assertThat(fenced.getLong("pid")).isEqualTo(oldPid);
    assertThat(fenced.getString("outcome")).isEqualTo("killed");
    assertThat(Instant.parse(fenced.getString("at"))).isBefore(Instant.parse(moved.getString("startedAt")));
    assertThat(qemusNamed("mover")).isSubsetOf(newPid);

    // the relocating member publishes relocated once the new owner answered its start, after that owner's RUNNING
    // (CI: 100 ms later, after the GET above had seen RUNNING): wait for it, then take the events up to RUNNING's
    Await.result(events.until(e -> "relocated".equals(e.getString("type"))), CONVERGE);
    List<JsonObject> seen = Await.result(events.until(SseRecorder.state("mover", "RUNNING")
        .and(e -> moved.getString("host").equals(e.getString("host")))), CONVERGE);
    int lost = indexOf(seen, e -> "host-lost".equals(e.getString("reason")));
    int relocated = indexOf(seen, e -> "relocated".equals(e.getString("type")));
    assertThat(lost).as("host-lost event in %s", seen).isGreaterThanOrEqualTo(0);
    assertThat(relocated).as("relocated after host-lost in %s", seen).isGreaterThan(lost);
    assertThat(seen.get(relocated).getLong("generation")).isEqualTo(2L);
    assertThat(seen.get(relocated).getString("from")).isEqualTo("ra");

    // ra comes back on its state directory: the directory names the new owner, ra fences its record
    Member back = fleet.start("ra", extra);
    Await.result(events.until(e -> "fenced".equals(e.getString("type"))), CONVERGE);
    Await.until("ra no longer holds mover", () -> back.api().send("GET", "/v1/vms", null).body() != null
        && count(back.ok("GET", "/v1/vms", null).getJsonArray("vms"), "mover") == 1
        && back.ok("GET", "/v1/vms/mover", null).getString("host").equals(moved.getString("host")), CONVERGE);
    // its restart policy's try, if it came before the fence (CI: the fence came 0.9 s after the crash was found, and
    // no try at all), is refused; the one-copy witness below (and the Sampler) is what says ra ran nothing
    String raLog = back.process().text();
    if (java.util.regex.Pattern.compile("vm=mover state \\w+ -> STARTING").matcher(raLog).find()) {
      assertThat(raLog).contains("relocatable VM 'mover' does not start on host 'ra'");
    }
    // on a loaded machine the new owner may itself be fenced by a stall and restart the VM: one copy, on the owner
    Await.until("one copy, the owner's", () -> {
      JsonObject v = b.ok("GET", "/v1/vms/mover", null);
      return "RUNNING".equals(v.getString("state")) && !"ra".equals(v.getString("host"))
          && qemusNamed("mover").equals(List.of(v.getLong("pid")));
    }, CONVERGE);
    assertThat(copies.most()).as("QEMUs named mover at once, sampled all along").isEqualTo(1);
    b.ok("POST", "/v1/vms/mover/kill", null);
  }

  private static long count(JsonArray vms, String name) {
    return vms.stream().map(o -> (JsonObject) o).filter(v -> name.equals(v.getString("name"))).count();
  }

  private static int indexOf(List<JsonObject> events, java.util.function.Predicate<JsonObject> match) {
    for (int i = 0; i < events.size(); i++) {
      if (match.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The live QEMU processes (not zombies) started with {@code -name guest=NAME}. */
  static List<Long> qemusNamed(String name) throws Exception {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        List<String> argv = List.of(read(p.resolve("cmdline")).split("\0"));
        long pid = Long.parseLong(p.getFileName().toString());
        if (!argv.isEmpty() && argv.get(0).contains("qemu-system") && argv.stream()
            .anyMatch(a -> a.equals("guest=" + name) || a.startsWith("guest=" + name + ",")) && FenceIT.alive(pid)) {
          out.add(pid);
        }
      }
    }
    return out;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      return "";
    } catch (Exception e) {
      return "";
    }
  }
}

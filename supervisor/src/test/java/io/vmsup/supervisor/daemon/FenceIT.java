package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.client.ApiClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fencing watchdog with a real daemon process and real QEMUs: while the daemon renews, its relocatable VM runs
 * on (ten renewals span several leases); once the daemon is killed (-9) or frozen (SIGSTOP), the watchdog — a process
 * of its own — kills the relocatable QEMU and leaves the other VM's QEMU alone.
 */
class FenceIT {

  private static final Pattern LISTENING = Pattern.compile("vmsup: listening on (\\S+);");
  private static final Duration LONG = Duration.ofSeconds(90);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private record Started(Process daemon, ApiClient api, long relocatable, long staying) {
  }

  /** A daemon with a 2 s lease, a relocatable VM and one that waits for its host, both running and guarded. */
  private Started start() throws Exception {
    Process p = new ProcessBuilder(DaemonProcess.javaCommand("run", "--http-port", "0", "--state-dir",
        daemons.state().toString(), "--fence", "on", "--fence-after", "2")).redirectErrorStream(true).start();
    daemons.closeAfter(p::destroyForcibly);
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          System.out.println("[daemon] " + line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            url.complete(m.group(1));
          }
        }
      } catch (Exception e) {
        url.completeExceptionally(e);
      }
      url.completeExceptionally(new AssertionError("the daemon ended before it listened"));
    });
    reader.setDaemon(true);
    reader.start();
    ApiClient api = new ApiClient(url.get(60, TimeUnit.SECONDS),
        Files.readString(daemons.state().resolve("token")).trim());
    JsonObject relocate = TestSpecs.machineNone("r1").put("supervision", new JsonObject().put("onHostLoss",
        "relocate"));
    ok(api, "POST", "/v1/vms", relocate);
    ok(api, "POST", "/v1/vms", TestSpecs.machineNone("w1"));
    long r1 = ok(api, "POST", "/v1/vms/r1/start", null).getLong("pid");
    long w1 = ok(api, "POST", "/v1/vms/w1/start", null).getLong("pid");
    Path log = daemons.state().resolve("fence/watchdog.log");
    // the watchdog logs every tenth renewal: two such lines naming r1 are ten renewals (five leases) that kept it
    Await.until("ten renewals guarding r1", () -> read(log).split("guarding \\[r1]", -1).length > 2, LONG);
    assertThat(alive(r1)).as("renewed leases keep r1").isTrue();
    return new Started(p, api, r1, w1);
  }

  private static JsonObject ok(ApiClient api, String method, String path, JsonObject body) throws Exception {
    ApiClient.Response r = api.send(method, path, body == null ? null : body.encode());
    assertThat(r.ok()).as("%s %s: %s", method, path, r.body()).isTrue();
    return new JsonObject(r.body());
  }

  private static String read(Path file) throws Exception {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      return "";
    }
  }

  /** Alive and not a zombie (PID 1 here reaps orphans only every ~2 s). */
  static boolean alive(long pid) throws Exception {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    return !stat.isEmpty() && !List.of("Z", "X").contains(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0]);
  }

  private void assertFenced(Started s) throws Exception {
    Await.until("the watchdog killed r1", () -> !alive(s.relocatable()), LONG);
    assertThat(alive(s.staying())).as("w1 (onHostLoss wait) untouched").isTrue();
    // the watchdog writes its record after the kill: wait for it
    Path record = daemons.state().resolve("fence/fenced.log");
    Await.until("fenced.log names r1", () -> read(record).contains("\"r1\""), LONG);
    List<String> fenced = Files.readAllLines(record);
    assertThat(fenced).singleElement().satisfies(l -> {
      JsonObject f = new JsonObject(l);
      assertThat(f.getString("vm")).isEqualTo("r1");
      assertThat(f.getLong("pid")).isEqualTo(s.relocatable());
      assertThat(f.getString("outcome")).isEqualTo("killed");
    });
  }

  @Test
  void aKilledDaemonsRelocatableQemuIsKilledByTheWatchdog() throws Exception {
    Started s = start();
    s.daemon().destroyForcibly();
    assertThat(s.daemon().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertFenced(s);
  }

  @Test
  void aFrozenDaemonsRelocatableQemuIsKilledByTheWatchdog() throws Exception {
    Started s = start();
    Fixture.signal(s.daemon().pid(), "STOP");
    daemons.closeAfter(() -> Fixture.signal(s.daemon().pid(), "CONT"));
    assertFenced(s);
    assertThat(s.daemon().isAlive()).isTrue();
  }
}

package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of the daemon process at a random instant while 50 clients create and start a VM each (half of
 * them in one request, {@code POST /v1/vms?start=true}), repeated
 * (default 20 rounds; {@code -Dvmsup.kill9.rounds}, {@code -Dvmsup.kill9.seed} to replay a run). After each restart:
 * every acknowledged create is present, every acknowledged start runs (adopted, same pid), no QEMU runs that its VM
 * does not account for (no orphan), and no VM has two.
 */
class Kill9DuringCreateIT {

  private static final int VMS = 50;
  /**
   * The kill's instant: after a random number of the 2 × 50 replies (0..99: before the last one), then 0..this many
   * ms more. Counted in replies, not in time, so the instants spread over the whole batch on a fast or a busy host.
   */
  private static final int JITTER_MS = 30;

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();
  private Path state;
  private DaemonProcess daemon;
  private final ExecutorService clients = Executors.newFixedThreadPool(VMS);

  /** The daemons and their QEMUs are the extension's to end. */
  @AfterEach
  void stopClients() {
    clients.shutdownNow();
  }

  @Test
  void aKilledDaemonLosesNothingAcknowledgedAndRunsNothingTwice() throws Exception {
    long seed = Long.getLong("vmsup.kill9.seed", System.nanoTime());
    int rounds = Integer.getInteger("vmsup.kill9.rounds", 20);
    System.out.println("[Kill9DuringCreateIT] seed " + seed + " (replay: -Dvmsup.kill9.seed=" + seed + "), "
        + rounds + " rounds");
    Random random = new Random(seed);
    state = daemons.state();
    daemon = daemons.process();
    for (int round = 0; round < rounds; round++) {
      int afterReplies = random.nextInt(2 * VMS);
      int jitter = random.nextInt(JITTER_MS + 1);
      Map<String, Long> started = new ConcurrentHashMap<>();
      Set<String> created = ConcurrentHashMap.newKeySet();
      ApiClient api = api();
      list(); // the client is warm: the kill's instant counts from the first create, not from client set-up
      CountDownLatch go = new CountDownLatch(1);
      Semaphore replies = new Semaphore(0);
      List<Future<?>> inFlight = new ArrayList<>();
      for (int i = 0; i < VMS; i++) {
        String name = "r" + round + "v" + i;
        inFlight.add(clients.submit(() -> {
          go.await();
          createAndStart(api, name, created, started, replies);
          return null;
        }));
      }
      go.countDown();
      assertThat(replies.tryAcquire(afterReplies, 120, TimeUnit.SECONDS)).as("replies before the kill").isTrue();
      TimeUnit.MILLISECONDS.sleep(jitter);
      daemon.process.destroyForcibly(); // SIGKILL
      daemon.process.waitFor(30, TimeUnit.SECONDS);
      for (Future<?> f : inFlight) {
        f.get(60, TimeUnit.SECONDS);
      }
      daemon = daemons.process();
      String where = "round " + round + " (kill " + jitter + " ms after " + afterReplies + " replies, " + created.size() + " creates and "
          + started.size() + " starts acknowledged)";
      System.out.println("[Kill9DuringCreateIT] " + where);
      check(where, created, started);
      clearRound();
    }
  }

  private static boolean oneRequest(String name) {
    return (name.charAt(name.length() - 1) - '0') % 2 == 1;
  }

  private static void createAndStart(ApiClient api, String name, Set<String> created, Map<String, Long> started,
      Semaphore replies) {
    try {
      JsonObject spec = TestSpecs.machineNone(name).put("supervision", new JsonObject().put("restart", "never"));
      if (oneRequest(name)) {
        oneRequest(api, name, spec, created, started, replies);
        return;
      }
      ApiClient.Response c = api.send("POST", "/v1/vms", spec.encode());
      assertThat(c.status()).as("create " + name + ": " + c.body()).isEqualTo(201);
      created.add(name);
      replies.release();
      ApiClient.Response r = api.send("POST", "/v1/vms/" + name + "/start", "{}");
      assertThat(r.status()).as("start " + name + ": " + r.body()).isEqualTo(200);
      started.put(name, new JsonObject(r.body()).getLong("pid"));
      replies.release();
    } catch (java.io.IOException daemonKilled) {
      // not acknowledged: the VM may or may not exist, may or may not run
    }
  }

  /**
   * Create-and-start in one request (every odd VM): its records and the start's intent are one write, so a kill
   * between that write and the spawn leaves a VM whose start was interrupted (CRASHED, no QEMU), never a QEMU unknown.
   */
  private static void oneRequest(ApiClient api, String name, JsonObject spec, Set<String> created,
      Map<String, Long> started, Semaphore replies) throws java.io.IOException {
    ApiClient.Response r = api.send("POST", "/v1/vms?start=true", spec.encode());
    assertThat(r.status()).as("create+start " + name + ": " + r.body()).isEqualTo(201);
    created.add(name);
    started.put(name, new JsonObject(r.body()).getLong("pid"));
    replies.release(2);
  }

  private void check(String where, Set<String> created, Map<String, Long> started) throws Exception {
    Map<String, JsonObject> vms = new HashMap<>();
    for (Object o : list()) {
      JsonObject vm = (JsonObject) o;
      vms.put(vm.getString("name"), vm);
    }
    assertThat(vms.keySet()).as(where + ": acknowledged creates").containsAll(created);
    noTornRecord(where, vms);
    Set<Long> accounted = new HashSet<>();
    for (JsonObject vm : vms.values()) {
      String s = vm.getString("state");
      assertThat(s).as(where + ": " + vm.getString("name") + " " + vm.getString("reason"))
          .isIn("DEFINED", "RUNNING", "PAUSED", "CRASHED", "STOPPED");
      if (s.equals("RUNNING") || s.equals("PAUSED")) {
        accounted.add(vm.getLong("pid"));
      }
    }
    started.forEach((name, pid) -> {
      JsonObject vm = vms.get(name);
      assertThat(vm.getString("state")).as(where + ": acknowledged start of " + name + ": " + vm)
          .isEqualTo("RUNNING");
      assertThat(vm.getLong("pid")).as(where + ": " + name + " keeps its QEMU").isEqualTo(pid);
    });
    Map<String, List<Long>> perVm = qemusPerVm();
    perVm.forEach((vm, pids) -> assertThat(pids).as(where + ": QEMUs of " + vm).hasSize(1));
    Set<Long> running = new HashSet<>();
    perVm.values().forEach(running::addAll);
    assertThat(running).as(where + ": every running QEMU belongs to a RUNNING VM (no orphan)")
        .containsExactlyInAnyOrderElementsOf(accounted);
  }

  /**
   * Every VM directory holding a spec is one the daemon loaded (a torn record would be skipped at start), and each of
   * its record files reads whole: the spec and runtime record parse, the desired state is a known word.
   */
  private void noTornRecord(String where, Map<String, JsonObject> vms) throws Exception {
    try (var dirs = Files.list(state.resolve("vms"))) {
      for (Path d : dirs.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        if (!Files.exists(d.resolve("spec.json"))) {
          continue;
        }
        assertThat(vms).as(where + ": " + d + " has a spec, so the daemon loaded it").containsKey(
            d.getFileName().toString());
        assertThat(new JsonObject(Files.readString(d.resolve("spec.json"))).getString("name"))
            .isEqualTo(d.getFileName().toString());
        if (Files.exists(d.resolve("desired"))) {
          assertThat(Files.readString(d.resolve("desired")).trim()).as(where + ": " + d).isIn("RUNNING", "STOPPED");
        }
        if (Files.exists(d.resolve("runtime.json"))) {
          assertThat(new JsonObject(Files.readString(d.resolve("runtime.json"))).getString("nonce"))
              .as(where + ": " + d + " runtime record").isNotNull();
        }
      }
    }
  }

  /** Kills and deletes this round's VMs through the API, so the next round starts from an empty daemon. */
  private void clearRound() throws Exception {
    ApiClient api = api();
    List<Future<?>> done = new ArrayList<>();
    for (Object o : list()) {
      String name = ((JsonObject) o).getString("name");
      done.add(clients.submit(() -> {
        api.send("POST", "/v1/vms/" + name + "/kill", null);
        ApiClient.Response r = api.send("DELETE", "/v1/vms/" + name, null);
        assertThat(r.status()).as("delete " + name + ": " + r.body()).isIn(200, 204);
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    assertThat(list()).isEmpty();
    assertThat(qemusPerVm()).isEmpty();
  }

  private JsonArray list() throws Exception {
    ApiClient.Response r = api().send("GET", "/v1/vms", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonArray("vms");
  }

  /** Live QEMUs naming this state directory, by the VM directory their QMP socket is in. */
  private Map<String, List<Long>> qemusPerVm() {
    Map<String, List<Long>> out = new HashMap<>();
    String vms = state.resolve("vms").toString() + "/";
    ProcessHandle.allProcesses().forEach(p -> {
      String cmd = Fixture.cmdline(p.pid());
      int at = cmd.indexOf(vms);
      if (cmd.contains("qemu") && at >= 0) {
        String vm = cmd.substring(at + vms.length()).split("/")[0];
        out.computeIfAbsent(vm, k -> new ArrayList<>()).add(p.pid());
      }
    });
    return out;
  }

  private ApiClient api() throws Exception {
    return new ApiClient(daemon.url(), Files.readString(state.resolve("token")).trim());
  }
}

package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.client.ApiClient;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The red team's descriptor flood, made cheap with {@code prlimit}: a daemon that re-attached VMs after a restart and
 * started its own is driven to its descriptor limit by half-open HTTP connections. Its VMs must stay RUNNING with
 * the same pids (no restart, no second QEMU), an already-open authenticated keep-alive connection must keep working,
 * a QEMU killed with SIGKILL (adopted or own) must still become CRASHED, and once the flood ends new authenticated
 * requests must succeed.
 */
class FdFloodIT {

  /** Descriptors the daemon may open beyond what it holds when the flood starts. */
  private static final int HEADROOM = 20;

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();
  private DaemonProcess daemon;
  private final List<Socket> flood = new ArrayList<>();

  /** Before the extension terminates the daemon: the flood's descriptors are free again. */
  @AfterEach
  void closeFlood() throws Exception {
    for (Socket s : flood) {
      s.close();
    }
  }

  @Test
  void aDescriptorFloodNeitherKillsNorDoublesAVm() throws Exception {
    daemon = daemons.process();
    ApiClient first = api();
    startVm(first, "adopted", "on-failure");
    startVm(first, "adoptedkill", "never");
    daemon.terminate();

    daemon = daemons.process();
    ApiClient api = api();
    Map<String, Long> pids = new java.util.HashMap<>();
    for (String name : List.of("adopted", "adoptedkill")) {
      JsonObject vm = get(api, name);
      assertThat(vm.getString("reason")).as(name).isEqualTo("reattached");
      pids.put(name, vm.getLong("pid"));
    }
    pids.put("own", startVm(api, "own", "on-failure"));
    pids.put("ownkill", startVm(api, "ownkill", "never"));
    assertThat(qemusOfThisStateDir()).containsExactlyInAnyOrderElementsOf(pids.values());

    try (KeepAliveHttp kept = new KeepAliveHttp(daemon.url(), token())) {
      assertThat(kept.get("/v1/vms").status()).isEqualTo(200);
      long pid = daemon.process.pid();
      int limit = descriptors(pid) + HEADROOM;
      prlimit(pid, limit);
      floodUntilExhausted(pid, limit);

      assertThat(state(kept, "own")).isEqualTo("RUNNING");
      Fixture.signal(pids.get("ownkill"), "KILL");
      Fixture.signal(pids.get("adoptedkill"), "KILL");
      JsonObject ownCrash = awaitState(kept, "ownkill", "CRASHED");
      JsonObject adoptedCrash = awaitState(kept, "adoptedkill", "CRASHED");
      assertThat(ownCrash.getString("reason")).isEqualTo("unexpected-exit");
      assertThat(adoptedCrash.getString("reason")).isEqualTo("unexpected-exit");
      // the probes of the adopted QEMU (every 250 ms) and of the own one (every s) run many times meanwhile
      for (int i = 0; i < 20; i++) {
        for (String name : List.of("adopted", "own")) {
          JsonObject vm = new JsonObject(kept.get("/v1/vms/" + name).body());
          assertThat(vm.getString("state")).as(name + " during the flood: " + vm).isEqualTo("RUNNING");
          assertThat(vm.getLong("pid")).as(name).isEqualTo(pids.get(name));
          assertThat(vm.getInteger("restarts")).as(name).isZero();
        }
        Thread.sleep(100);
      }
      assertThat(qemusOfThisStateDir()).as("no QEMU restarted, none doubled")
          .containsExactlyInAnyOrder(pids.get("adopted"), pids.get("own"));
      // what the killed QEMUs freed was taken by connections waiting in the backlog
      assertThat(descriptors(pid)).as("still at the limit").isGreaterThanOrEqualTo(limit - 1);
    }

    for (Socket s : flood) {
      s.close();
    }
    flood.clear();
    JsonObject after = awaitNewRequest();
    assertThat(after.getJsonArray("vms")).hasSize(4);
    assertThat(get(api(), "adopted").getLong("pid")).isEqualTo(pids.get("adopted"));
    assertThat(get(api(), "own").getLong("pid")).isEqualTo(pids.get("own"));
    assertThat(qemusOfThisStateDir()).containsExactlyInAnyOrder(pids.get("adopted"), pids.get("own"));
  }

  /** Opens half-header connections until the daemon holds its limit of descriptors (bounded). */
  private void floodUntilExhausted(long pid, int limit) throws Exception {
    URI u = URI.create(daemon.url());
    for (int i = 0; i < limit * 4 && descriptors(pid) < limit; i++) {
      Socket s = new Socket(u.getHost(), u.getPort());
      flood.add(s);
      s.getOutputStream().write("GET /v1/vms HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      for (int w = 0; w < 100 && descriptors(pid) < Math.min(limit, i + 1); w++) {
        Thread.sleep(5); // let the daemon accept it
      }
    }
    assertThat(descriptors(pid)).as("the daemon reached its descriptor limit " + limit).isGreaterThanOrEqualTo(limit);
    // more: the daemon cannot accept them (EMFILE), the kernel keeps them in the backlog for when a descriptor frees
    for (int i = 0; i < HEADROOM; i++) {
      flood.add(new Socket(u.getHost(), u.getPort()));
    }
  }

  private JsonObject awaitNewRequest() throws Exception {
    Exception last = null;
    for (int i = 0; i < 300; i++) {
      try {
        ApiClient.Response r = api().send("GET", "/v1/vms", null);
        if (r.status() == 200) {
          return new JsonObject(r.body());
        }
        last = new IOException("status " + r.status() + ": " + r.body());
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no authenticated request succeeded after the flood", last);
  }

  private static String state(KeepAliveHttp kept, String name) throws IOException {
    return new JsonObject(kept.get("/v1/vms/" + name).body()).getString("state");
  }

  private static JsonObject awaitState(KeepAliveHttp kept, String name, String want) throws Exception {
    JsonObject vm = null;
    for (int i = 0; i < 600; i++) {
      vm = new JsonObject(kept.get("/v1/vms/" + name).body());
      if (want.equals(vm.getString("state"))) {
        return vm;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " never became " + want + ": " + vm);
  }

  private long startVm(ApiClient api, String name, String restart) throws Exception {
    JsonObject spec = TestSpecs.machineNone(name).put("supervision",
        new JsonObject().put("restart", restart).put("backoffInitial", "1ms"));
    ApiClient.Response created = api.send("POST", "/v1/vms", spec.encode());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    ApiClient.Response started = api.send("POST", "/v1/vms/" + name + "/start", "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    return new JsonObject(started.body()).getLong("pid");
  }

  private static JsonObject get(ApiClient api, String name) throws Exception {
    ApiClient.Response r = api.send("GET", "/v1/vms/" + name, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private ApiClient api() throws Exception {
    return new ApiClient(daemon.url(), token());
  }

  private String token() throws IOException {
    return Files.readString(daemons.state().resolve("token")).trim();
  }

  /** The pids of processes whose command line names this test's state directory (QEMUs and their sockets). */
  private Set<Long> qemusOfThisStateDir() throws IOException {
    Set<Long> out = new HashSet<>();
    String dir = daemons.state().toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmd.contains("qemu") && cmd.contains(dir + "/vms/")) {
            out.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    return out;
  }

  private static int descriptors(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) fds.count();
    }
  }

  private static void prlimit(long pid, int n) throws Exception {
    Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + n + ":" + n)
        .redirectErrorStream(true).start();
    assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
  }
}

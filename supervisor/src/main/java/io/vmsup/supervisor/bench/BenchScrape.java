package io.vmsup.supervisor.bench;

import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.daemon.Daemon;
import io.vmsup.supervisor.daemon.DaemonConfig;
import io.vmsup.supervisor.daemon.SupervisorBinding;
import io.vmsup.supervisor.policy.PassthroughMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code /metrics} rows of {@code vmsup bench supervision} (MetricsIT used to bound them): a scrape over real HTTP
 * from an in-process daemon with one of its two VMs SIGSTOPped, beside the same scrape with both healthy.
 */
final class BenchScrape {

  static final int SCRAPES = 10;

  private BenchScrape() {
  }

  static void measure(BenchTable table, PrintStream err) throws Exception {
    err.println("bench supervision: /metrics with every VM healthy, then with one SIGSTOPped, " + SCRAPES + " each");
    Path dir = Files.createTempDirectory("vmsup-bench-scrape-");
    DaemonConfig config = new DaemonConfig("127.0.0.1", 0, dir, "qemu-system-x86_64", false, null, null,
        Duration.ofSeconds(1), 64 * 1024, List.of(), PassthroughMode.RESTRICTED);
    Daemon daemon = SupervisionRig.await(Daemon.start(config, SupervisorBinding::start));
    long hung = 0;
    try {
      ApiClient api = new ApiClient(daemon.url(), daemon.token().value());
      for (String vm : List.of("calm", "hung")) {
        ok(api, "POST", "/v1/vms", "{\"name\": \"" + vm + "\", \"machine\": {\"type\": \"none\"}}");
      }
      ok(api, "POST", "/v1/vms/calm/start", null);
      hung = Long.parseLong(ok(api, "POST", "/v1/vms/hung/start", null).replaceAll("(?s).*\"pid\"\\s*:\\s*(\\d+).*",
          "$1"));
      Percentiles healthy = Percentiles.of(scrapes(api));
      SupervisionRig.signal(hung, "STOP");
      Percentiles stopped = Percentiles.of(scrapes(api));
      table.row("/metrics scrape p50, one VM stopped (ms)", stopped.p50Ms(), healthy.p50Ms(),
          "the same, every VM healthy");
      table.row("/metrics scrape max, one VM stopped (ms)", stopped.maxMs(), healthy.maxMs(),
          "the same, every VM healthy");
    } finally {
      if (hung != 0) {
        SupervisionRig.signal(hung, "CONT");
      }
      SupervisionRig.await(daemon.stop());
      cleanUp(dir);
    }
  }

  /** {@link #SCRAPES} scrapes, one after the other. */
  private static List<Long> scrapes(ApiClient api) throws Exception {
    List<Long> took = new ArrayList<>();
    for (int i = 0; i < SCRAPES; i++) {
      long t0 = System.nanoTime();
      ok(api, "GET", "/metrics", null);
      took.add(System.nanoTime() - t0);
    }
    return took;
  }

  private static String ok(ApiClient api, String method, String path, String body) throws IOException {
    ApiClient.Response r = api.send(method, path, body);
    if (r.status() / 100 != 2) {
      throw new IOException(method + " " + path + " answered " + r.status() + ": " + r.body());
    }
    return r.body();
  }

  /** Kills the QEMUs that name {@code dir} (the daemon leaves VMs running) and deletes it. */
  private static void cleanUp(Path dir) throws Exception {
    String needle = dir.toString();
    for (ProcessHandle p : ProcessHandle.allProcesses()
        .filter(h -> h.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(needle)).toList()) {
      p.destroyForcibly();
      p.onExit().get(10, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}

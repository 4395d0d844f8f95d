package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.deploy.DeploymentFilesTest;
import io.vmsup.supervisor.deploy.HostTools;
import io.vmsup.supervisor.metrics.MetricNames;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /metrics} of a daemon supervising a real QEMU, checked with promtool. */
class MetricsIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;
  private Path images;

  @BeforeEach
  void images() throws Exception {
    images = daemons.dir("images");
  }

  /** The test's daemon, sampling every VM each {@code interval} on its own besides the test's scrapes. */
  private void start(Duration interval) throws Exception {
    daemon = daemons.start(DaemonFixture.config(daemons.state()).withAllowedPaths(List.of(images)).toBuilder()
        .metricsInterval(interval).build());
  }

  private PrometheusText scrape() throws Exception {
    Await.result(daemon.daemon.collectMetricsNow());
    ApiClient.Response r = daemon.api.send("GET", "/metrics", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    return new PrometheusText(r.body());
  }

  @Test
  void vmSeriesFollowTheVmsLifeAndPassPromtool() throws Exception {
    start(Duration.ofSeconds(1));
    Path disk = images.resolve("disk0.raw");
    HostTools.Run img = HostTools.run(images, List.of("qemu-img", "create", "-f", "raw", disk.toString(), "8M"));
    assertThat(img.exit()).as(img.output()).isZero();
    daemon.ok("POST", "/v1/vms", TestSpecs.q35WithDisk("m1", disk.toString())
        .put("resources", new JsonObject().put("memoryMax", "1G")));
    daemon.ok("POST", "/v1/vms/m1/start", null);

    PrometheusText first = scrape();
    promtool(first.text());
    String vm = "vm=\"m1\"";
    assertThat(first.value("vmsup_vm_up", vm)).hasValue(1.0);
    assertThat(first.value("vmsup_vm_state", vm, "state=\"RUNNING\"")).hasValue(1.0);
    assertThat(first.value("vmsup_vm_state", vm, "state=\"STOPPED\"")).hasValue(0.0);
    assertThat(first.samples("vmsup_vm_info", vm, "qemu_version=\"7.", "machine=\"q35\"")).hasSize(1);
    assertThat(first.value("vmsup_vm_memory_rss_bytes", vm).orElseThrow()).isGreaterThan(1_000_000);
    assertThat(first.value("vmsup_vm_vcpus", vm)).hasValue(1.0);
    assertThat(first.value("vmsup_vm_start_time_seconds", vm).orElseThrow()).isGreaterThan(1.7e9);
    assertThat(first.value("vmsup_vm_restarts_total", vm)).hasValue(0.0);
    assertThat(first.samples("vmsup_vm_block_read_bytes_total", vm, "drive=\"disk0\"")).hasSize(1);
    assertThat(first.samples("vmsup_vm_block_write_operations_total", vm, "drive=\"disk0\"")).hasSize(1);
    assertThat(first.value("vmsup_vm_disk_virtual_bytes", vm, "drive=\"disk0\"")).hasValue((double) (8 << 20));
    assertThat(first.value("vmsup_vm_disk_allocated_bytes", vm, "drive=\"disk0\"")).isPresent();
    double cpu = first.value("vmsup_vm_cpu_seconds_total", vm).orElseThrow();
    // from the VM's cgroup: every thread of QEMU; a figure the cgroup offers is a series, none is NaN
    assertThat(first.value("vmsup_vm_cgroup_memory_bytes", vm).orElseThrow()).isGreaterThan(1_000_000);
    assertThat(first.value("vmsup_vm_cgroup_memory_limit_bytes", vm)).hasValue((double) (1L << 30));
    assertThat(first.value("vmsup_vm_cgroup_oom_kills_total", vm)).hasValue(0.0);
    assertThat(first.value("vmsup_vm_cgroup_tasks", vm).orElseThrow()).isGreaterThan(1);
    assertThat(first.value("vmsup_vm_cgroup_cpu_seconds_total", vm).orElseThrow()).isPositive();
    assertThat(first.text()).doesNotContain("NaN");

    // QEMU's CPU time rises: it runs the guest's firmware under TCG, plus the QMP work asked of it here
    double later = cpu;
    for (int round = 0; round < 20 && later <= cpu; round++) {
      for (int i = 0; i < 20; i++) {
        daemon.ok("POST", "/v1/vms/m1/qmp", new JsonObject().put("execute", "query-qmp-schema"));
      }
      later = scrape().value("vmsup_vm_cpu_seconds_total", vm).orElseThrow();
    }
    assertThat(later).isGreaterThan(cpu);
    assertThat(scrape().value("vmsup_vm_cgroup_cpu_seconds_total", vm).orElseThrow()).isGreaterThan(0.5 * later);

    PrometheusText during = scrape();
    promtool(during.text());
    // the latency histogram: by command and outcome, not by VM (per VM a count and a sum)
    assertThat(during.samples("vmsup_qmp_command_duration_seconds_bucket", "command=\"query-qmp-schema\"",
        "outcome=\"ok\"")).hasSize(17).noneMatch(line -> line.contains("vm=")).anyMatch(l -> l.contains("le=\"5.0\""))
        .anyMatch(l -> l.contains("le=\"5.0E-5\""));
    assertThat(during.value("vmsup_vm_qmp_commands_total", vm).orElseThrow()).isGreaterThanOrEqualTo(20);
    assertThat(during.value("vmsup_vm_qmp_command_seconds_total", vm).orElseThrow()).isGreaterThan(0);
    Set<String> exported = during.names();
    for (String name : DeploymentFilesTest.dashboardMetrics(
        HostTools.ROOT.resolve("deploy/grafana/dashboards/vmsup.json"))) {
      assertThat(exported).as("dashboard metric " + name + " in a live scrape").contains(name);
    }
    for (String name : MetricNames.EXPORTED) {
      // a summary shows as _count/_sum/_max; events only after QEMU sent one
      String sample = name.endsWith("_seconds") && name.startsWith("vmsup_qmp") ? name + "_count" : name;
      if (!name.equals("vmsup_qmp_events_total")) {
        assertThat(exported).as(name).contains(sample);
      }
    }
    assertThat(exported).contains("vertx_http_server_requests_total", "jvm_memory_used_bytes");

    daemon.ok("POST", "/v1/vms/m1/kill", null);
    assertThat(daemon.send("DELETE", "/v1/vms/m1", null).status()).isEqualTo(204);
    PrometheusText after = scrape();
    promtool(after.text());
    assertThat(after.mentions(vm)).as("series of the deleted VM").isFalse();
  }

  /**
   * OpenMetrics for a client that prefers it (Prometheus's own Accept header), the text format otherwise; and a
   * machine without CPUs of its own (none) still shows the vCPUs its spec configures.
   */
  @Test
  void openMetricsIsNegotiatedAndMachineNoneHasItsVcpus() throws Exception {
    start(Duration.ofSeconds(1));
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("om1"));
    daemon.ok("POST", "/v1/vms/om1/start", null);
    Await.result(daemon.daemon.collectMetricsNow());
    String prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
        + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    java.net.http.HttpResponse<String> open = get(prometheus);
    assertThat(open.headers().firstValue("Content-Type")).hasValue(
        "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(open.headers().firstValue("Vary")).hasValue("Accept");
    assertThat(open.body()).endsWith("# EOF\n").contains("vmsup_vm_vcpus{vm=\"om1\"} 1.0");
    io.vmsup.supervisor.http.impl.ResponseContract.check("GET", "/metrics", open.statusCode(),
        open.headers().firstValue("Content-Type").orElse(null), null, open.body());
    for (String accept : new String[] {"text/plain", "text/plain;q=1,application/openmetrics-text;q=0.5", "*/*"}) {
      java.net.http.HttpResponse<String> text = get(accept);
      assertThat(text.headers().firstValue("Content-Type")).as(accept).hasValue(
          "text/plain; version=0.0.4; charset=utf-8");
      assertThat(text.body()).as(accept).doesNotContain("# EOF");
    }
    assertThat(scrape().value("vmsup_vm_vcpus", "vm=\"om1\"")).hasValue(1.0);
  }

  private java.net.http.HttpResponse<String> get(String accept) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(daemon.daemon.url() + "/metrics"))
        .header("Accept", accept).timeout(java.time.Duration.ofSeconds(30)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aHungVmGoesStaleAndCountsATimeoutWithoutDelayingTheScrape() throws Exception {
    start(Duration.ofSeconds(1));
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("hung1"));
    long pid = daemon.ok("POST", "/v1/vms/hung1/start", null).getLong("pid");
    String vm = "vm=\"hung1\"";
    assertThat(scrape().value("vmsup_vm_up", vm)).hasValue(1.0);
    HostTools.Run stop = HostTools.run(daemons.state(), List.of("kill", "-STOP", Long.toString(pid)));
    assertThat(stop.exit()).isZero();
    try {
      // how long this scrape takes beside one with every VM healthy is a figure of `./vmsup bench supervision`
      ApiClient.Response quick = daemon.api.send("GET", "/metrics", null);
      assertThat(quick.status()).isEqualTo(200);
      PrometheusText hung = scrape();
      assertThat(hung.value("vmsup_vm_up", vm)).hasValue(0.0);
      assertThat(hung.samples("vmsup_vm_vcpus", vm)).isEmpty();
      assertThat(hung.value("vmsup_qmp_timeouts_total", vm).orElseThrow()).isGreaterThanOrEqualTo(1.0);
    } finally {
      HostTools.run(daemons.state(), List.of("kill", "-CONT", Long.toString(pid)));
    }
  }

  /**
   * A VM without block devices (machine none, no disk) is asked query-cpus-fast each sample but its block queries
   * only until they answered empty; a block node added over QMP (pass-through {@code blockdev-add}) shows at the next
   * sample, and goes with its {@code blockdev-del}. The counts are the daemon's own QMP histogram (one VM here). The
   * daemon samples on its own only hourly, so every sample here is one of the test's collections and each count is
   * exact: with a sampling timer a sample of its own could be under way when a collection is asked (the collection
   * then waits for that one, which may have begun before the {@code blockdev-add}), or be a recheck
   * ({@code BlockQueries.RECHECK}) that asks again without any command.
   */
  @Test
  void aVmWithoutBlockDevicesIsNotAskedForThemUntilOneMayHaveBeenAdded() throws Exception {
    start(Duration.ofHours(1));
    daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("nb1"));
    daemon.ok("POST", "/v1/vms/nb1/start", null);
    PrometheusText first = scrape();
    double blockstats = commands(first, "query-blockstats");
    double nodes = commands(first, "query-named-block-nodes");
    double cpus = commands(first, "query-cpus-fast");
    assertThat(blockstats).as("the first sample asks").isEqualTo(1.0);
    assertThat(nodes).isEqualTo(1.0);
    assertThat(cpus).isEqualTo(1.0);
    scrape();
    PrometheusText later = scrape();
    // two samples taken (not a collection that sampled nothing), neither asked the block queries
    assertThat(commands(later, "query-cpus-fast")).as("sampled each time").isEqualTo(cpus + 2);
    assertThat(commands(later, "query-blockstats")).as("no block device: not asked again").isEqualTo(blockstats);
    assertThat(commands(later, "query-named-block-nodes")).isEqualTo(nodes);
    assertThat(later.samples("vmsup_vm_disk_virtual_bytes", "vm=\"nb1\"")).isEmpty();

    daemon.ok("POST", "/v1/vms/nb1/qmp", new JsonObject().put("execute", "blockdev-add").put("arguments",
        new JsonObject().put("driver", "null-co").put("node-name", "hot0.blk").put("size", 1 << 20)));
    // the next sample asks (the fourth since the last ask: not a recheck, which comes at the tenth)
    PrometheusText added = scrape();
    assertThat(commands(added, "query-cpus-fast")).isEqualTo(cpus + 3);
    assertThat(commands(added, "query-blockstats")).as("asked after a command").isEqualTo(blockstats + 1);
    assertThat(commands(added, "query-named-block-nodes")).isEqualTo(nodes + 1);
    assertThat(added.value("vmsup_vm_disk_virtual_bytes", "vm=\"nb1\"", "drive=\"hot0\"")).hasValue(1 << 20);
    daemon.ok("POST", "/v1/vms/nb1/qmp", new JsonObject().put("execute", "blockdev-del").put("arguments",
        new JsonObject().put("node-name", "hot0.blk")));
    PrometheusText deleted = scrape();
    assertThat(commands(deleted, "query-blockstats")).isEqualTo(blockstats + 2);
    assertThat(deleted.samples("vmsup_vm_disk_virtual_bytes", "vm=\"nb1\"")).as("a disk gone, its series too")
        .isEmpty();
  }

  private static double commands(PrometheusText page, String command) {
    return page.value("vmsup_qmp_command_duration_seconds_count", "command=\"" + command + "\"",
        "outcome=\"ok\"").orElse(0.0);
  }

  private static void promtool(String text) throws Exception {
    Path promtool = HostTools.promtool();
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check metrics:\n" + out).isZero();
  }
}

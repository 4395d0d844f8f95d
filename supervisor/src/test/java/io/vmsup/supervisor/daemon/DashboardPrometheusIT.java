package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.deploy.HostTools;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every query of the Grafana dashboard, and its template variables, asked of a real Prometheus (Debian's 2.42)
 * that scrapes a real daemon supervising a q35 VM with a disk: each must succeed and return data, not only parse.
 * The same Prometheus loads the shipped alert rules and evaluates them without errors.
 */
class DashboardPrometheusIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void everyPanelQueryReturnsDataFromARealPrometheus() throws Exception {
    Path images = daemons.dir("images");
    Path disk = images.resolve("disk0.raw");
    assertThat(HostTools.run(images, List.of("qemu-img", "create", "-f", "raw", disk.toString(), "8M")).exit())
        .isZero();
    DaemonFixture daemon = daemons.start(DaemonFixture.config(daemons.state()).withAllowedPaths(List.of(images)));
    daemon.ok("POST", "/v1/vms", TestSpecs.q35WithDisk("dash1", disk.toString()));
    daemon.ok("POST", "/v1/vms/dash1/start", null);

    String target = daemon.daemon.url().replace("http://", "");
    int port = TestPorts.free();
    Path dir = daemons.dir("prometheus");
    Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
        "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s",
        "rule_files: [\"" + HostTools.ROOT.resolve("deploy/prometheus/alerts.yml") + "\"]",
        "scrape_configs:", "  - job_name: vmsup", "    static_configs:", "      - targets: [\"" + target + "\"]", ""));
    Process prometheus = new ProcessBuilder(HostTools.prometheus().toString(),
        "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    daemons.closeAfter(() -> {
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    });
    ApiClient api = new ApiClient("http://127.0.0.1:" + port, "unused");
    // enough scrapes for rate() over [1m]: at least five samples of a live VM
    awaitData(api, "count_over_time(vmsup_vm_up{job=\"vmsup\"}[1m]) >= 5", dir);

    JsonObject dashboard = new JsonObject(Files.readString(HostTools.ROOT.resolve(
        "deploy/grafana/dashboards/vmsup.json")));
    List<String> empty = new ArrayList<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      for (Object t : panel.getJsonArray("targets", new JsonArray())) {
        String expr = ((JsonObject) t).getString("expr").replace("$instance", ".*").replace("$vm", ".*");
        if (query(api, expr).isEmpty()) {
          empty.add(panel.getString("title") + ": " + expr);
        }
      }
    }
    assertThat(empty).as("panel queries without data").isEmpty();
    // the shipped alert rules load and evaluate against the live series without errors
    JsonArray groups = new JsonObject(api.send("GET", "/api/v1/rules", null).body()).getJsonObject("data")
        .getJsonArray("groups");
    assertThat(groups).hasSize(1);
    for (Object rule : groups.getJsonObject(0).getJsonArray("rules")) {
      assertThat(((JsonObject) rule).getString("health")).as(((JsonObject) rule).encode()).isIn("ok", "unknown");
    }
    assertThat(groups.getJsonObject(0).getJsonArray("rules")).hasSize(6);
    for (Object v : dashboard.getJsonObject("templating").getJsonArray("list")) {
      assertThat(labelValues(api, ((JsonObject) v).getString("query"))).as(((JsonObject) v).getString("name"))
          .isNotEmpty();
    }
  }

  /** An instant query; a failed one is an assertion error with Prometheus's message. */
  private static JsonArray query(ApiClient api, String expr) throws Exception {
    ApiClient.Response r = api.send("GET", "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8),
        null);
    assertThat(r.status()).as(expr + ": " + r.body()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).as(expr).isEqualTo("success");
    return body.getJsonObject("data").getJsonArray("result");
  }

  /** Grafana's {@code label_values(SELECTOR, LABEL)} through Prometheus's series API. */
  private static JsonArray labelValues(ApiClient api, String grafanaQuery) throws Exception {
    Matcher m = Pattern.compile("label_values\\((.+), (\\w+)\\)").matcher(grafanaQuery);
    assertThat(m.matches()).as(grafanaQuery).isTrue();
    String selector = m.group(1).replace("$instance", ".*").replace("$vm", ".*");
    ApiClient.Response r = api.send("GET", "/api/v1/label/" + m.group(2) + "/values?match[]="
        + URLEncoder.encode(selector, StandardCharsets.UTF_8), null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonArray("data");
  }

  /** Polls Prometheus (its scrapes are the events awaited) until {@code expr} has a result, for at most 3 minutes. */
  private static void awaitData(ApiClient api, String expr, Path dir) throws Exception {
    for (int i = 0; i < 720; i++) {
      try {
        // until its storage is open Prometheus answers 503 to every query (seen at load 60): ask when it is ready
        if (api.send("GET", "/-/ready", null).status() == 200 && !query(api, expr).isEmpty()) {
          return;
        }
      } catch (java.io.IOException e) {
        // Prometheus is still starting
      }
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(250, TimeUnit.MILLISECONDS)).get();
    }
    throw new AssertionError("no data for " + expr + "; prometheus.log: " + Files.readString(dir.resolve(
        "prometheus.log")));
  }
}

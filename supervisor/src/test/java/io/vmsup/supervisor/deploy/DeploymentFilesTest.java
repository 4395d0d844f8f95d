package io.vmsup.supervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.metrics.MetricNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files are valid: docker-compose accepts them, Prometheus scrapes with the token, Grafana's
 * dashboard uses only metrics vmsup defines. ({@code MetricsIT} checks that a live daemon exports those names.)
 */
public class DeploymentFilesTest {

  private static final Pattern METRIC = Pattern.compile("\\bvmsup_[a-z_]+");

  @Test
  void dockerComposeAcceptsTheFiles() throws Exception {
    Path compose = HostTools.dockerCompose();
    HostTools.Run plain = HostTools.run(HostTools.ROOT, List.of(compose.toString(), "-f", "docker-compose.yml",
        "config"));
    assertThat(plain.exit()).as(plain.output()).isZero();
    assertThat(plain.output()).contains("vmsup:", "prometheus:", "grafana:", "VMSUP_HTTP_HOST: 0.0.0.0",
        "/var/lib/vmsup");
    HostTools.Run kvm = HostTools.run(HostTools.ROOT, List.of(compose.toString(), "-f", "docker-compose.yml", "-f",
        "docker-compose.kvm.yml", "config"));
    assertThat(kvm.exit()).as(kvm.output()).isZero();
    assertThat(kvm.output()).contains("/dev/kvm:/dev/kvm");
  }

  @Test
  void prometheusScrapesWithTheTokenFile() throws Exception {
    String config = Files.readString(HostTools.ROOT.resolve("deploy/prometheus/prometheus.yml"));
    assertThat(config).contains("credentials_file: /vmsup-state/token", "vmsup:7480", "metrics_path: /metrics");
  }

  @Test
  void dashboardUsesOnlyExportedMetrics() throws Exception {
    Set<String> used = dashboardMetrics(HostTools.ROOT.resolve("deploy/grafana/dashboards/vmsup.json"));
    assertThat(used).isNotEmpty();
    for (String name : used) {
      assertThat(MetricNames.EXPORTED.contains(base(name))).as(name + " is exported").isTrue();
    }
    assertThat(used).contains("vmsup_vm_state", "vmsup_vm_cpu_seconds_total", "vmsup_vm_memory_rss_bytes",
        "vmsup_vm_restarts_total", "vmsup_qmp_command_duration_seconds_sum", "vmsup_vm_block_read_bytes_total");
  }

  /** Every {@code vmsup_*} name in the dashboard's queries. */
  public static Set<String> dashboardMetrics(Path dashboard) throws Exception {
    JsonObject json = new JsonObject(Files.readString(dashboard));
    Set<String> names = new TreeSet<>();
    List<String> exprs = new java.util.ArrayList<>();
    for (Object p : json.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) p).getJsonArray("targets", new JsonArray());
      targets.forEach(t -> exprs.add(((JsonObject) t).getString("expr", "")));
    }
    json.getJsonObject("templating").getJsonArray("list")
        .forEach(v -> exprs.add(((JsonObject) v).getString("query", "")));
    for (String expr : exprs) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        names.add(m.group());
      }
    }
    return names;
  }

  /** A summary's series name without its {@code _sum}/{@code _count}/{@code _max} suffix. */
  public static String base(String name) {
    for (String suffix : List.of("_sum", "_count", "_max")) {
      if (name.endsWith(suffix) && MetricNames.EXPORTED.contains(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}

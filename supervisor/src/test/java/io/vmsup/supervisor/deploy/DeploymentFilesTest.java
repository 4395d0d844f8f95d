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

  private static final java.util.Map<String, String> COMPOSE_ENV = java.util.Map.of(
      "GRAFANA_ADMIN_PASSWORD", "test-only", "KVM_GID", "993");

  @Test
  void dockerComposeAcceptsTheFiles() throws Exception {
    Path compose = HostTools.dockerCompose();
    HostTools.Run plain = HostTools.run(HostTools.ROOT, List.of(compose.toString(), "-f", "docker-compose.yml",
        "config"), COMPOSE_ENV);
    assertThat(plain.exit()).as(plain.output()).isZero();
    assertThat(plain.output()).contains("vmsup:", "prometheus:", "grafana:", "VMSUP_HTTP_HOST: 0.0.0.0",
        "/var/lib/vmsup", "condition: service_healthy", "GF_SECURITY_ADMIN_PASSWORD: test-only");
    HostTools.Run all = HostTools.run(HostTools.ROOT, List.of(compose.toString(), "-f", "docker-compose.yml", "-f",
        "docker-compose.kvm.yml", "-f", "docker-compose.tap.yml", "config"), COMPOSE_ENV);
    assertThat(all.exit()).as(all.output()).isZero();
    assertThat(all.output()).contains("/dev/kvm:/dev/kvm", "'993'", "/dev/net/tun:/dev/net/tun", "NET_ADMIN");
  }

  @Test
  void composeRefusesToStartGrafanaWithoutAPassword() throws Exception {
    HostTools.Run none = HostTools.run(HostTools.ROOT, List.of(HostTools.dockerCompose().toString(), "-f",
        "docker-compose.yml", "config"), java.util.Collections.singletonMap("GRAFANA_ADMIN_PASSWORD", null));
    assertThat(none.exit()).isNotZero();
    assertThat(none.output()).contains("set GRAFANA_ADMIN_PASSWORD");
    assertThat(Files.readString(HostTools.ROOT.resolve("docker-compose.yml"))).doesNotContain("admin/admin");
  }

  @Test
  void dclintFindsNoErrorInTheComposeFiles() throws Exception {
    HostTools.Run lint = HostTools.run(HostTools.ROOT, List.of(HostTools.dclint().toString(), "docker-compose.yml",
        "docker-compose.kvm.yml", "docker-compose.tap.yml"));
    // warnings left: require-project-name-field (Debian's docker-compose v1, which CI validates with, refuses `name`)
    assertThat(lint.exit()).as(lint.output()).isZero();
    // CI=true makes dclint's colour library colour its output: compare the text without ANSI escapes
    String text = lint.output().replaceAll("\u001B\\[[0-9;]*m", "");
    assertThat(text).as(lint.output()).contains("(0 errors,").doesNotContain(" error ");
  }

  @Test
  void theSystemdUnitIsHardenedAndWaitsForReadiness() throws Exception {
    Path unit = HostTools.ROOT.resolve("packaging/vmsup.service");
    HostTools.Run security = HostTools.run(HostTools.ROOT, List.of(HostTools.systemdAnalyze().toString(),
        "security", "--offline=yes", "--no-pager", unit.toString()));
    Matcher level = Pattern.compile("Overall exposure level for vmsup.service: (\\d+\\.\\d+)")
        .matcher(security.output());
    assertThat(level.find()).as(security.output()).isTrue();
    assertThat(Double.parseDouble(level.group(1))).as(security.output()).isLessThanOrEqualTo(5.0);
    String text = Files.readString(unit);
    assertThat(text).contains("Type=notify", "NotifyAccess=main", "UMask=0077", "ProtectHome=yes", "PrivateTmp=yes",
        "ProtectSystem=strict", "DevicePolicy=closed", "RestrictAddressFamilies=");
    // every setting left open is explained where it is left open
    assertThat(text).contains("Exception (expected): ProtectControlGroups=", "Exception (expected): no PrivateNetwork=",
        "Exception (expected): root.", "Exception (expected): no MemoryDenyWriteExecute=",
        "Exception (expected): AF_NETLINK");
  }

  @Test
  void alertRulesPassPromtoolCheckAndTheirUnitTests() throws Exception {
    Path promtool = HostTools.promtool();
    Path dir = HostTools.ROOT.resolve("deploy/prometheus");
    HostTools.Run check = HostTools.run(dir, List.of(promtool.toString(), "check", "rules", "alerts.yml"));
    assertThat(check.exit()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 6 rules found");
    HostTools.Run test = HostTools.run(dir, List.of(promtool.toString(), "test", "rules", "alerts.test.yml"));
    assertThat(test.exit()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
    assertThat(Files.readString(dir.resolve("prometheus.yml"))).contains("/etc/prometheus/alerts.yml");
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
        "vmsup_vm_restarts_total", "vmsup_qmp_command_duration_seconds_bucket", "vmsup_vm_block_read_bytes_total",
        "vmsup_vm_start_time_seconds");
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
    for (String suffix : List.of("_sum", "_count", "_max", "_bucket")) {
      if (name.endsWith(suffix) && MetricNames.EXPORTED.contains(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}

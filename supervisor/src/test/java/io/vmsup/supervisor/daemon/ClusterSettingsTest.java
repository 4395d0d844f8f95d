package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.cluster.ClusterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster settings: flag, environment and config key each, every problem named, nothing silently ignored. */
class ClusterSettingsTest {

  @TempDir
  Path dir;

  @Test
  void aSingleHostHasNoClusterAndACLusterSettingAloneIsAnError() {
    assertThat(ConfigLoader.load(List.of(), Map.of(), false).config().cluster()).isEqualTo(ClusterSettings.disabled());
    ConfigLoader.Result r = ConfigLoader.load(List.of("--cluster-members", "10.0.0.2:5701"), Map.of(), false);
    assertThat(r.errors()).containsExactly("clusterMembers: a cluster setting, but the daemon does not join a"
        + " cluster (add --cluster)");
  }

  @Test
  void flagEnvironmentAndConfigFileEachSetThem() throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"cluster\": true, \"clusterName\": \"prod\", \"hostLabels\": {\"disk\": \"ssd\"},"
        + " \"clusterTlsDir\": \"/etc/vmsup/cluster\"}");
    ConfigLoader.Result r = ConfigLoader.load(List.of("--config", file.toString(), "--host-id", "h2",
        "--cluster-members=10.0.0.1:5701,10.0.0.2:5701"), Map.of("VMSUP_CLUSTER_PORT", "6701",
        "VMSUP_CLUSTER_HOST", "10.0.0.2"), false);
    assertThat(r.errors()).isEmpty();
    ClusterSettings c = r.config().cluster();
    assertThat(c.enabled()).isTrue();
    assertThat(c.hostId()).isEqualTo("h2");
    assertThat(c.name()).isEqualTo("prod");
    assertThat(c.members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(c.port()).isEqualTo(6701);
    assertThat(c.busPort()).isEqualTo(5801);
    assertThat(c.advertisedHost()).isEqualTo("10.0.0.2");
    assertThat(c.labels()).containsExactly(Map.entry("disk", "ssd"));
    assertThat(c.failureAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.keyFile()).isEqualTo(Path.of("/etc/vmsup/cluster/member-key.pem"));
  }

  @Test
  void everyBadValueIsNamed() {
    ConfigLoader.Result r = ConfigLoader.load(List.of("--cluster", "--host-id", "Bad.Id", "--cluster-members",
        "10.0.0.1", "--cluster-host", "0.0.0.0", "--cluster-port", "5801", "--cluster-failure-seconds", "1",
        "--host-labels", "ok=yes,broken", "--cluster-name", "a b"), Map.of(), false);
    assertThat(r.config()).isNull();
    assertThat(r.errors()).containsExactlyInAnyOrder(
        "hostId: 'Bad.Id' must be 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit",
        "clusterName: 'a b' must be 1-63 letters, digits, '.', '_', '/', '-'",
        "clusterMembers: '10.0.0.1' must be HOST:PORT",
        "clusterHost: must name one address (a private one), not '0.0.0.0'",
        "clusterBusPort: must differ from clusterPort",
        "clusterTlsDir: required with --cluster: the event bus only speaks mutual TLS (make the files with"
            + " 'vmsup cluster init')",
        "clusterFailureSeconds: must be a whole number from 2 to 300, not '1'",
        "hostLabels: 'broken' must be KEY=VALUE");
  }

  @Test
  void runHelpNamesEveryClusterSetting() {
    String help = ConfigLoader.help();
    for (String flag : List.of("--cluster ", "--host-id", "--cluster-name", "--cluster-members", "--cluster-host",
        "--cluster-public-host", "--cluster-port", "--cluster-bus-port", "--cluster-tls-dir",
        "--cluster-failure-seconds", "--host-labels")) {
      assertThat(help).contains(flag);
    }
  }
}

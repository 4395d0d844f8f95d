package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.policy.PassthroughMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  @Test
  void defaultsWorkOnAFreshMachine() {
    ConfigLoader.Result r = ConfigLoader.load(List.of(), Map.of(), false);
    assertThat(r.errors()).isEmpty();
    assertThat(r.config()).isEqualTo(new DaemonConfig("127.0.0.1", 7480, Path.of("./vmsup-data"),
        "qemu-system-x86_64", false, null, null, Duration.ofSeconds(5), 1048576,
        List.of(Path.of("/var/lib/vmsup")), PassthroughMode.RESTRICTED));
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"httpHost\":\"0.0.0.0\",\"httpPort\":8000,\"stateDir\":\"/srv/a\",\"qemu\":\"/q\"}");
    ConfigLoader.Result r = ConfigLoader.load(List.of("--config", file.toString(), "--http-port=9000",
        "--stop-vms-on-shutdown"), Map.of("VMSUP_HTTP_PORT", "8500", "VMSUP_STATE_DIR", "/srv/b"), false);
    assertThat(r.errors()).isEmpty();
    DaemonConfig c = r.config();
    assertThat(c.httpHost()).isEqualTo("0.0.0.0");
    assertThat(c.httpPort()).isEqualTo(9000);
    assertThat(c.stateDir()).isEqualTo(Path.of("/srv/b"));
    assertThat(c.qemu()).isEqualTo("/q");
    assertThat(c.stopVmsOnShutdown()).isTrue();
    assertThat(c.localUrl(9000)).isEqualTo("http://127.0.0.1:9000");
  }

  @Test
  void theQmpCommandTimeoutIsASettingOfOneSecondToAnHour() {
    assertThat(ConfigLoader.load(List.of(), Map.of(), false).config().commandTimeout())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(ConfigLoader.load(List.of("--command-timeout-seconds", "600"), Map.of(), false).config()
        .commandTimeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(ConfigLoader.load(List.of(), Map.of("VMSUP_COMMAND_TIMEOUT_SECONDS", "0"), false).errors())
        .singleElement().asString().startsWith("commandTimeoutSeconds:");
  }

  @Test
  void everyProblemIsReported() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"httpPort\":\"eighty\",\"colour\":\"blue\",\"tlsCert\":\"/c.pem\"}");
    ConfigLoader.Result r = ConfigLoader.load(List.of("--config", file.toString(), "--frobnicate"),
        Map.of("VMSUP_METRICS_INTERVAL", "0"), false);
    assertThat(r.config()).isNull();
    assertThat(r.errors()).anyMatch(e -> e.contains("--frobnicate"));
    assertThat(r.errors()).anyMatch(e -> e.contains("colour: unknown setting"));
    // file-level errors stop before value checks: fix those first, then values are checked
    Files.writeString(file, "{\"httpPort\":\"eighty\",\"tlsCert\":\"/c.pem\"}");
    r = ConfigLoader.load(List.of("--config", file.toString()), Map.of("VMSUP_METRICS_INTERVAL", "0"), false);
    assertThat(r.errors()).hasSize(3)
        .anyMatch(e -> e.startsWith("httpPort:"))
        .anyMatch(e -> e.startsWith("metricsIntervalSeconds:"))
        .anyMatch(e -> e.startsWith("tlsCert and tlsKey"));
  }

  @Test
  void helpListsEverySettingWithDefaultAndVariable() {
    String help = ConfigLoader.help();
    for (Setting s : Setting.values()) {
      assertThat(help).contains(s.flag(), s.env(), s.key());
    }
    assertThat(help).contains("127.0.0.1", "7480", "./vmsup-data", "qemu-system-x86_64", "VMSUP_CONFIG");
  }

  @Test
  void allowedPathsComeAsAJsonArrayInTheFileOrColonSeparatedAndMustBeAbsolute() throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"allowedPaths\": [\"/srv/images\", \"/opt/k\"]}");
    assertThat(ConfigLoader.load(List.of("--config", file.toString()), Map.of(), false).config().allowedPaths())
        .containsExactly(Path.of("/srv/images"), Path.of("/opt/k"));
    assertThat(ConfigLoader.load(List.of("--allowed-paths", "/a:/b/"), Map.of(), false).config().allowedPaths())
        .containsExactly(Path.of("/a"), Path.of("/b"));
    ConfigLoader.Result bad = ConfigLoader.load(List.of(), Map.of("VMSUP_ALLOWED_PATHS", "rel:/x/../etc"), false);
    assertThat(bad.errors()).containsExactly("allowedPaths: 'rel' must be an absolute path without '..'",
        "allowedPaths: '/x/../etc' must be an absolute path without '..'");
    Files.writeString(file, "{\"allowedPaths\": [\"/srv\", 3]}");
    assertThat(ConfigLoader.load(List.of("--config", file.toString()), Map.of(), false).errors())
        .containsExactly("allowedPaths: every entry must be a string, not 3");
  }
}

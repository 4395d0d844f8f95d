package io.vmsup.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmsup render}: the launch form by default (the daemon's settings), {@code --portable} on request. */
class RenderFormsTest {

  private static final String SPEC = "{\"name\": \"a\", \"machine\": {\"type\": \"none\"}}";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int render(Map<String, String> env, String... args) {
    return RenderCommand.run(args, env, new ByteArrayInputStream(SPEC.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> argv() throws Exception {
    return new ObjectMapper().readValue(out.toString(StandardCharsets.UTF_8), new TypeReference<List<String>>() { });
  }

  @Test
  void launchFormNamesTheStateDirectoryTheBinaryAndTheDefaultSandbox(@TempDir Path dir) throws Exception {
    assertThat(render(Map.of("VMSUP_ACCEL", "tcg"), "--state-dir", dir.toString(), "--qemu", "/opt/q/qemu", "-"))
        .as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<String> argv = argv();
    Path vmDir = dir.toAbsolutePath().resolve("vms/a");
    assertThat(argv.get(0)).isEqualTo("/opt/q/qemu");
    assertThat(argv).containsSubsequence("-sandbox",
        "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    assertThat(argv).containsSubsequence("-pidfile", vmDir.resolve("qemu.pid").toString());
    assertThat(String.join(" ", argv)).contains("path=" + vmDir.resolve("qmp.sock"));
  }

  @Test
  void settingsComeFromTheEnvironmentLikeRun(@TempDir Path dir) throws Exception {
    assertThat(render(Map.of("VMSUP_STATE_DIR", dir.toString(), "VMSUP_QEMU", "/x/qemu"), "-")).isZero();
    assertThat(argv()).startsWith("/x/qemu").contains(dir.toAbsolutePath().resolve("vms/a/qemu.pid").toString());
  }

  @Test
  void portableFormHasNoRuntimePathsAndNoDefaultSandbox(@TempDir Path dir) throws Exception {
    assertThat(render(Map.of(), "--portable", "--state-dir", dir.toString(), "-")).isZero();
    List<String> argv = argv();
    assertThat(argv.get(0)).isEqualTo("qemu-system-x86_64");
    assertThat(argv).doesNotContain("-sandbox", "-pidfile", "-mon");
  }

  @Test
  void theCommandLineTakesTheSameFlags(@TempDir Path dir) throws Exception {
    int code = VmsupCli.run(new String[] {"render", "--state-dir", dir.toString(), "--qemu", "/q/qemu", "-"},
        Map.of(), new ByteArrayInputStream(SPEC.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(argv()).startsWith("/q/qemu").contains(dir.toAbsolutePath().resolve("vms/a/qemu.pid").toString());
    out.reset();
    assertThat(VmsupCli.run(new String[] {"render", "--portable", "-"}, Map.of(),
        new ByteArrayInputStream(SPEC.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
        .isZero();
    assertThat(argv()).startsWith("qemu-system-x86_64").doesNotContain("-pidfile", "-sandbox");
  }

  @Test
  void aBadSettingOrASecondSpecIsAUsageError() {
    assertThat(render(Map.of(), "--http-port", "x", "-")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("httpPort").contains("usage: vmsup render");
    assertThat(render(Map.of(), "a.json", "b.json")).isEqualTo(2);
  }
}

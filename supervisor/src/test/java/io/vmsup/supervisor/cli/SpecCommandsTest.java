package io.vmsup.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmsup validate} and {@code vmsup render}: exit codes, output channels, stdin and files. */
class SpecCommandsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int validate(String stdin, String... args) {
    return ValidateCommand.run(args, in(stdin), print(out), print(err));
  }

  private int render(String stdin, String... args) {
    return RenderCommand.run(args, in(stdin), print(out), print(err));
  }

  private static ByteArrayInputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static PrintStream print(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void validSpecFromStdinPrintsOkAndExitsZero() {
    assertThat(validate("{\"name\": \"web-01\"}", "-")).isZero();
    assertThat(out()).isEqualTo("ok: web-01\n");
  }

  @Test
  void invalidSpecPrintsOnePathMessageLinePerViolationAndExitsTwo() {
    assertThat(validate("{\"name\": \"a b\", \"smp\": {\"cpus\": 0}}", "-")).isEqualTo(2);
    assertThat(err().lines().toList()).containsExactlyInAnyOrder(
        "name: must be 1-63 characters from A-Z a-z 0-9 . _ , + - and start with a letter or digit",
        "smp.cpus: must be from 1 to 1024, not 0");
    assertThat(out()).isEmpty();
  }

  @Test
  void badJsonSyntaxNamesLineAndColumn() {
    assertThat(validate("{\n\"name\": }", "-")).isEqualTo(2);
    assertThat(err()).startsWith("invalid JSON at line 2, column 9: ");
  }

  @Test
  void missingFileAndBadUsageExitTwo() {
    assertThat(validate("", "/nonexistent/spec.json")).isEqualTo(2);
    assertThat(err()).contains("no such file: /nonexistent/spec.json");
    assertThat(render("")).isEqualTo(2);
  }

  @Test
  void renderPrintsTheArgvAsAJsonArray(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, "{\"name\": \"a,b\", \"machine\": {\"accel\": \"tcg\"}}");
    assertThat(render("", spec.toString())).isZero();
    List<String> argv = new ObjectMapper().readValue(out(), new TypeReference<List<String>>() { });
    assertThat(argv).startsWith("qemu-system-x86_64", "-name", "guest=a,,b", "-machine", "q35", "-accel", "tcg");
  }

  @Test
  void machineOptionUnknownToTheInstalledQemuIsAnErrorWithItsPath() {
    assertThat(validate("{\"name\": \"m\", \"machine\": {\"options\": {\"hpet\": false, \"hpte\": 1}}}", "-"))
        .isEqualTo(2);
    assertThat(err().lines().filter(l -> !l.startsWith("warning:")).toList()).singleElement()
        .satisfies(l -> assertThat(l).startsWith("machine.options.hpte: machine type \"q35\" of QEMU "));
    assertThat(out()).isEmpty();
  }

  @Test
  void legacyVirtioAndRomRulesAreErrorsWithTheirPaths() {
    String spec = """
        {"name": "m", "devices": [
          {"kind": "pcie-root-port", "id": "p", "chassis": 1, "romfile": ""},
          {"kind": "rng", "id": "r", "bus": "p", "disableModern": true},
          {"kind": "rng", "id": "ok", "disableModern": true, "romfile": ""}
        ]}""";
    assertThat(validate(spec, "-")).isEqualTo(2);
    assertThat(err().lines().toList()).extracting(l -> l.substring(0, l.indexOf(':')))
        .containsExactlyInAnyOrder("devices[0].romfile", "devices[1].disableModern");
  }

  @Test
  void renderShowsTheAddressesACreateWouldAssign() throws Exception {
    String spec = "{\"name\": \"m\", \"machine\": {\"hotplugPorts\": 1}, \"devices\": [{\"kind\": \"rng\","
        + " \"id\": \"r\"}]}";
    assertThat(render(spec, "--layout", "-")).isZero();
    var layout = new ObjectMapper().readTree(out());
    assertThat(layout.path("devices").path("r").asText()).isEqualTo("pcie.0:02.0");
    assertThat(layout.path("ports").get(0).path("address").asText()).isEqualTo("pcie.0:03.0");
    out.reset();
    assertThat(render(spec, "-")).isZero();
    assertThat(out()).contains("virtio-rng-pci,id=r,rng=r.rng,bus=pcie.0,addr=02.0",
        "pcie-root-port,id=vmsup-port0,bus=pcie.0,addr=03.0,chassis=254,slot=1");
  }
}

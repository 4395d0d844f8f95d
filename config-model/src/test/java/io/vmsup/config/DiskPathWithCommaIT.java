package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A disk path with commas is rendered with doubled commas and QEMU opens exactly that file. */
class DiskPathWithCommaIT {

  private Path work;

  @BeforeEach
  void workDir() throws Exception {
    work = Files.createTempDirectory("vmsup-comma");
  }

  @AfterEach
  void cleanup() {
    Commands.run(List.of("rm", "-rf", work.toString()));
  }

  @Test
  void qemuOpensTheFileWhosePathHasCommas() throws Exception {
    Path dir = Files.createDirectories(work.resolve("a,b"));
    Path image = dir.resolve("disk,1,,2.qcow2");
    Path decoy = dir.resolve("disk");
    Commands.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "32M"));
    Commands.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", decoy.toString(), "16M"));
    String json = """
        {"name": "comma,vm", "machine": {"type": "q35", "accel": "tcg"},
         "devices": [{"kind": "disk", "id": "root", "format": "qcow2", "file": "%s"}]}""".formatted(image);
    VmSpec spec = GoldenCases.valid(json, "comma spec");
    List<String> argv = QemuArgv.render(spec, RenderContext.of(HostFacts.probe()));

    String escaped = image.toString().replace(",", ",,");
    assertThat(argv).contains("guest=comma,,vm");
    assertThat(argv).anyMatch(a -> a.contains(",file.filename=" + escaped + ","));

    try (QemuUnderTest qemu = QemuUnderTest.start(List.of(), argv, work.resolve("qmp.sock"),
        work.resolve("qemu.log"))) {
      JsonNode nodes = qemu.execute("query-named-block-nodes", Map.of("flat", true));
      JsonNode root = null;
      for (JsonNode n : nodes) {
        if (n.get("node-name").asText().equals("root.blk")) {
          root = n;
        }
      }
      assertThat(root).as("node root.blk in %s", nodes).isNotNull();
      assertThat(root.get("file").asText()).isEqualTo(image.toString());
      assertThat(root.get("image").get("virtual-size").asLong()).isEqualTo(32L << 20);
      JsonNode name = qemu.execute("query-name", Map.of());
      assertThat(name.get("name").asText()).isEqualTo("comma,vm");
      assertThat(qemu.quit()).isZero();
    }
  }
}

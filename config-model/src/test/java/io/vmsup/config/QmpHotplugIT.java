package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hot-plug plans run against a real QEMU (q35, TCG, paused): a plan's backend step can be undone (the same id is
 * then accepted again), and the whole plan applies and the device appears. Undoing a whole plan needs a running guest to release the device, so the
 * full undo is covered by {@link QmpHotplugTest} only.
 */
// a tap NIC is plugged with descriptors the daemon passes: supervisor's HandOverIT proves it on a real tap
class QmpHotplugIT {

  private static final String SPEC = """
      {"name": "hotplug", "machine": {"type": "q35", "accel": "tcg"},
       "memory": {"size": "256M", "slots": 2, "max": "1G"},
       "devices": [
         {"kind": "pcie-root-port", "id": "rp1", "chassis": 1, "slot": 1},
         {"kind": "pcie-root-port", "id": "rp2", "chassis": 1, "slot": 2},
         {"kind": "pcie-root-port", "id": "rp3", "chassis": 1, "slot": 3}
         %s
       ]}""";

  private Path work;
  private String netns;

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("vmsup-hotplug");
    netns = "vmsup-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Commands.run(List.of("ip", "netns", "add", netns));
  }

  @AfterEach
  void tearDown() {
    Commands.run(List.of("ip", "netns", "del", netns));
    Commands.run(List.of("rm", "-rf", work.toString()));
  }

  @Test
  void diskNicAndMemoryPlug() throws Exception {
    Path image = work.resolve("hot,disk.qcow2");
    Commands.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "16M"));
    VmSpec base = GoldenCases.valid(SPEC.formatted(""), "base");
    VmSpec full = GoldenCases.valid(SPEC.formatted("""
        , {"kind": "disk", "id": "hd1", "file": "%s", "format": "qcow2", "bus": "rp1"},
          {"kind": "nic", "id": "nic1", "backend": "user", "bus": "rp2",
           "hostForwards": [{"proto": "tcp", "hostAddress": "127.0.0.1", "hostPort": 2222, "guestPort": 22}]},
          {"kind": "memory-backend", "id": "mem1", "size": "128M"},
          {"kind": "dimm", "id": "dimm1", "memdev": "mem1"},
          {"kind": "vsock", "id": "vsock1", "cid": 9, "bus": "rp3"}""".formatted(image)), "full");
    List<String> argv = QemuArgv.render(base, RenderContext.of(HostFacts.probe()));
    try (QemuUnderTest qemu = QemuUnderTest.start(List.of("ip", "netns", "exec", netns), argv,
        work.resolve("qmp.sock"), work.resolve("qemu.log"))) {
      for (String id : List.of("hd1", "nic1", "mem1", "dimm1")) {
        HotplugPlan plan = QmpHotplug.plan(full.device(id).orElseThrow());
        if (!plan.steps().get(0).command().equals("device_add")) {
          // a backend step is undone at once (device_del would wait for the paused guest)
          run(qemu, plan.steps().subList(0, 1));
          run(qemu, plan.undoAfter(1));
        }
        run(qemu, plan.steps());
      }
      assertThat(peripherals(qemu)).contains("hd1", "nic1", "dimm1");
      // the user NIC's forward: QEMU listens on the host port (in the test's namespace) after netdev_add
      assertThat(Commands.output(List.of("ip", "netns", "exec", netns, "ss", "-Hltn", "sport = :2222")))
          .contains("127.0.0.1:2222");
      JsonNode nodes = qemu.execute("query-named-block-nodes", Map.of("flat", true));
      assertThat(nodes.findValuesAsText("file")).contains(image.toString());
      vsock(qemu, QmpHotplug.plan(full.device("vsock1").orElseThrow()));
    }
  }

  private static void vsock(QemuUnderTest qemu, HotplugPlan plan) throws Exception {
    if (HostFacts.probe().vhostVsockAvailable()) {
      run(qemu, plan.steps());
      assertThat(peripherals(qemu)).contains("vsock1");
      return;
    }
    // the plan reaches QEMU's vhost-vsock code, which then needs the host device
    assertThatThrownBy(() -> run(qemu, plan.steps())).hasMessageContaining("vhost-vsock");
    System.out.println("NOT STARTED: vsock hot-plug: /dev/vhost-vsock is absent on this host"
        + " (QEMU accepted the arguments and refused to open the device)");
  }

  private static void run(QemuUnderTest qemu, List<QmpStep> steps) throws Exception {
    for (QmpStep step : steps) {
      qemu.execute(step.command(), step.arguments());
    }
  }

  private static List<String> peripherals(QemuUnderTest qemu) throws Exception {
    List<String> names = new ArrayList<>();
    qemu.execute("qom-list", Map.of("path", "/machine/peripheral")).forEach(n -> names.add(n.get("name").asText()));
    return names;
  }
}

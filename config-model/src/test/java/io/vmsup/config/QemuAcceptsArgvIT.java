package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Real QEMU accepts the rendered argv of every golden case and example: each starts with {@code -S} inside a network
 * namespace of this test's own, answers QMP, and exits 0 on {@code quit}. Cases that cannot start on this host are
 * printed as {@code NOT STARTED: <case>: <reason>} and must be exactly the expected set. The two tests are
 * independent of each other and of their order: each prepares every case it looks at in a work directory of its own.
 */
class QemuAcceptsArgvIT {

  private static final HostFacts FACTS = HostFacts.probe();
  private static final Path QEMU = MachineOptionsIT.qemuOnPath();
  private static String netns;
  private static Path root;

  @BeforeAll
  static void namespace() throws Exception {
    netns = "vmsup-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Commands.run(List.of("ip", "netns", "add", netns));
    root = Files.createTempDirectory("vmsup-it");
    System.out.println("QemuAcceptsArgvIT: host " + FACTS + ", accel " + FACTS.choose(Accel.AUTO)
        + ", netns " + netns + ", work " + root);
  }

  @AfterAll
  static void cleanup() {
    Commands.run(List.of("ip", "netns", "del", netns));
    Commands.run(List.of("rm", "-rf", root.toString()));
  }

  /** Cases that can never start in this test, whatever the host: they need things only a real deployment has. */
  static Optional<String> byDesign(VmSpec spec) {
    for (Device d : spec.devices()) {
      if (d instanceof Vfio v) {
        return Optional.of("VFIO needs host device " + v.host() + " bound to vfio-pci");
      }
      if (d instanceof Nic n && n.backend() == Nic.Backend.MACVTAP) {
        return Optional.of("macvtap needs a parent link and open /dev/tapN descriptors handed over by the supervisor");
      }
    }
    return Optional.empty();
  }

  static Set<String> expectedNotStarted() {
    Set<String> expected = new TreeSet<>(Set.of("nic-macvtap", "vfio", "example:vsock-vfio",
        "nic-vhost-user", "vhost-user-blk", "vhost-user-scsi"));
    if (!FACTS.vhostNetAvailable()) {
      expected.add("nic-tap-vhost");
    }
    if (!FACTS.vhostVsockAvailable()) {
      expected.add("vsock");
    }
    return expected;
  }

  /** Every golden case and example: its name and its file. */
  private static Map<String, Path> cases() {
    Map<String, Path> cases = new TreeMap<>();
    GoldenCases.names().forEach(n -> cases.put(n, GoldenCases.DIR.resolve(n + ".json")));
    GoldenCases.exampleNames().forEach(n -> cases.put("example:" + n, GoldenCases.EXAMPLES.resolve(n + ".json")));
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> everyCaseStartsInQemu() {
    return cases().entrySet().stream()
        .map(c -> DynamicTest.dynamicTest(c.getKey(), () -> startCase(c.getKey(), c.getValue())));
  }

  /** The case's spec with its data paths moved below {@code work}. */
  private static VmSpec load(String name, Path file, Path work) throws Exception {
    String json = GoldenCases.read(file).replace(GoldenCases.DATA_PREFIX, work.toString());
    return GoldenCases.valid(json, name);
  }

  /** Why a prepared case cannot start on this host ({@code ""}: it can). */
  private static String notStartedReason(VmSpec spec, Path work) {
    List<String> reasons = new ArrayList<>();
    byDesign(spec).ifPresent(reasons::add);
    HostChecks.check(spec, FACTS).forEach(v -> reasons.add(v.toString().replace(work.toString(), "")));
    return String.join("; ", reasons);
  }

  private void startCase(String name, Path file) throws Exception {
    Path work = Files.createDirectories(root.resolve(name.replace(':', '-')));
    VmSpec spec = load(name, file, work);
    try (CaseHost host = new CaseHost(netns, work)) {
      host.prepare(spec);
      String reason = notStartedReason(spec, work);
      if (!reason.isEmpty()) {
        System.out.println("NOT STARTED: " + name + ": " + reason);
        Assumptions.abort("NOT STARTED: " + reason);
      }
      // the VM's directory is the work directory: made disks and the cloud-init seed lie in it
      RuntimeArgs runtime = new RuntimeArgs(work.resolve("qmp.sock"), work.resolve("qemu.pid"),
          work.resolve("serial.log"), null, null, work);
      PciPlan plan = PciPlans.create(spec);
      assertThat(plan.violations()).as("the layout a create would store").isEmpty();
      assertThat(HostChecks.checkQemu(spec, QEMU)).as("machine type and options known to " + QEMU).isEmpty();
      // every case starts with the addresses a create would store, so the planner's output is proven on real QEMU
      List<String> argv = QemuArgv.render(spec, new RenderContext(FACTS, runtime), plan.layout());
      try (QemuUnderTest qemu = QemuUnderTest.start(List.of("ip", "netns", "exec", netns), argv,
          work.resolve("it-qmp.sock"), work.resolve("qemu.log"))) {
        JsonNode status = qemu.execute("query-status", Map.of());
        assertThat(status.get("running").asBoolean()).as("started with -S").isFalse();
        assertThat(Files.readString(runtime.pidFile()).trim()).isNotEmpty();
        assertThat(QemuUnderTest.greetingAt(runtime.qmpSocket()).has("QMP")).as("rendered QMP socket").isTrue();
        JsonNode devices = qemu.execute("qom-list", Map.of("path", "/machine/peripheral"));
        List<String> ids = new ArrayList<>();
        devices.forEach(d -> ids.add(d.get("name").asText()));
        assertThat(ids).as("every -device id exists in QEMU").containsAll(deviceIds(argv));
        opensTheRightFiles(qemu, spec, work);
        devicesSitWhereTheLayoutSays(qemu, plan.layout());
        assertThat(qemu.quit()).as("exit code after quit; log:\n%s", qemu.logText()).isZero();
      }
    }
  }

  /** Disks are open on exactly the spec's file names, and server sockets exist at exactly the spec's paths. */
  private static void opensTheRightFiles(QemuUnderTest qemu, VmSpec spec, Path vmDir) throws Exception {
    Map<String, String> fileByNode = new TreeMap<>();
    qemu.execute("query-named-block-nodes", Map.of("flat", true))
        .forEach(n -> fileByNode.put(n.get("node-name").asText(), n.get("file").asText()));
    for (Device d : spec.devices()) {
      if (d instanceof Disk disk) {
        assertThat(fileByNode).containsEntry(disk.id() + ".blk", disk.inVmDir()
            ? vmDir.resolve(disk.file()).toString() : disk.file());
      } else if (d instanceof Chardev c && c.backend() == Chardev.Backend.SOCKET && c.server()) {
        assertThat(Path.of(c.path().orElseThrow())).exists();
      }
    }
  }

  /** QEMU's own view (QOM parent_bus and addr) of every device and planned port equals the layout. */
  static void devicesSitWhereTheLayoutSays(QemuUnderTest qemu, PciLayout layout) throws Exception {
    Map<String, PciAddress> expected = new TreeMap<>(layout.devices());
    layout.ports().forEach(p -> expected.put(p.id(), p.address()));
    for (Map.Entry<String, PciAddress> e : expected.entrySet()) {
      String path = "/machine/peripheral/" + e.getKey();
      PciAddress actual = PciAddress.fromQom(qemu.execute("qom-get", Map.of("path", path, "property",
          "parent_bus")).asText(), qemu.execute("qom-get", Map.of("path", path, "property", "addr")).asLong());
      assertThat(actual).as("address of %s", e.getKey()).isEqualTo(e.getValue());
    }
  }

  /** The ids of the -device options of an argv. */
  static List<String> deviceIds(List<String> argv) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i + 1 < argv.size(); i++) {
      if (argv.get(i).equals("-device")) {
        for (String part : argv.get(i + 1).split(",")) {
          if (part.startsWith("id=")) {
            ids.add(part.substring(3));
          }
        }
      }
    }
    return ids;
  }

  @Test
  void notStartedCasesAreExactlyTheExpectedSet() throws Exception {
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, Path> c : cases().entrySet()) {
      Path work = Files.createDirectories(root.resolve("summary").resolve(c.getKey().replace(':', '-')));
      VmSpec spec = load(c.getKey(), c.getValue(), work);
      try (CaseHost host = new CaseHost(netns, work)) {
        host.prepare(spec);
        String reason = notStartedReason(spec, work);
        if (!reason.isEmpty()) {
          sorted.put(c.getKey(), reason);
        }
      }
    }
    sorted.forEach((name, reason) -> System.out.println("NOT STARTED (summary): " + name + ": " + reason));
    assertThat(sorted.keySet()).as("cases that could not start on this host").isEqualTo(expectedNotStarted());
  }
}

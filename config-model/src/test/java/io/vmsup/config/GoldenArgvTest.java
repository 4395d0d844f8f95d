package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code argv/<case>.json} renders exactly {@code argv/<case>.args} (one argument per line), in the launch form the
 * daemon executes (binary, runtime paths, default sandbox). Regenerate with
 * {@code -Dvmsup.golden.update=true}.
 */
class GoldenArgvTest {

  /** The launch form, as the daemon renders it for a VM whose directory is {@code /srv/vmsup/vms/vm}. */
  static final RenderContext CONTEXT = RenderContext.launch("/usr/bin/qemu-system-x86_64",
      new HostFacts(false, false, false, false), RuntimeArgs.in(Path.of("/srv/vmsup/vms/vm")));
  private static final boolean UPDATE = Boolean.getBoolean("vmsup.golden.update");

  @TestFactory
  Stream<DynamicTest> everyCaseRendersItsGoldenArgv() {
    return GoldenCases.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      VmSpec spec = GoldenCases.valid(GoldenCases.json(GoldenCases.DIR, name), name);
      List<String> argv = QemuArgv.render(spec, CONTEXT, layoutOf(name, spec));
      Path golden = GoldenCases.DIR.resolve(name + ".args");
      String text = String.join("\n", argv) + "\n";
      if (UPDATE) {
        Files.writeString(golden, text, StandardCharsets.UTF_8);
      }
      assertThat(golden).as("golden file (run with -Dvmsup.golden.update=true to create)").exists();
      assertThat(Files.readAllLines(golden, StandardCharsets.UTF_8)).containsExactlyElementsOf(argv);
    }));
  }

  /** Cases named {@code planned-*} render with the layout a create would store; the others without addresses. */
  static PciLayout layoutOf(String name, VmSpec spec) {
    if (!name.startsWith("planned-")) {
      return PciLayout.empty();
    }
    PciPlan plan = PciPlans.create(spec);
    assertThat(plan.violations()).isEmpty();
    return plan.layout();
  }

  @Test
  void everyDeviceKindHasItsOwnGoldenCase() {
    Set<DeviceKind> covered = EnumSet.noneOf(DeviceKind.class);
    for (String name : GoldenCases.names()) {
      VmSpec spec = GoldenCases.valid(GoldenCases.json(GoldenCases.DIR, name), name);
      spec.devices().stream().map(Device::kind).forEach(covered::add);
    }
    assertThat(covered).containsExactlyInAnyOrder(DeviceKind.values());
    Set<String> names = Set.copyOf(GoldenCases.names());
    List<String> missing = Arrays.stream(DeviceKind.values())
        .map(k -> k == DeviceKind.NIC ? "nic-tap" : k == DeviceKind.DISK ? "disk" : k.json())
        .filter(n -> !names.contains(n)).collect(Collectors.toList());
    assertThat(missing).as("device kinds without a case named after them").isEmpty();
    assertThat(names).contains("name-escape", "minimal");
  }

  @Test
  void everyExampleValidates() {
    assertThat(GoldenCases.exampleNames()).contains("minimal", "q35-disk-net");
    for (String name : GoldenCases.exampleNames()) {
      GoldenCases.valid(GoldenCases.json(GoldenCases.EXAMPLES, name), "example " + name);
    }
  }
}

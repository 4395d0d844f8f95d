package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** machine.options names are checked against what the installed QEMU reports for the machine type. */
class MachineOptionsIT {

  static Path qemuOnPath() {
    return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
        .map(d -> Path.of(d, QemuArgv.BINARY)).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException(QemuArgv.BINARY + " is not on PATH"));
  }

  static VmSpec spec(String machine) {
    return GoldenCases.valid("{\"name\": \"m\", \"machine\": " + machine + "}", machine);
  }

  @Test
  void anOptionTheMachineTypeLacksIsAViolationAtItsPath() throws Exception {
    var v = HostChecks.checkQemu(spec("{\"type\": \"q35\", \"options\": {\"hpet\": false, \"hpte\": false}}"),
        qemuOnPath());
    assertThat(v).singleElement().satisfies(x -> {
      assertThat(x.path()).isEqualTo("machine.options.hpte");
      assertThat(x.message()).contains("has no property \"hpte\"", "hpet");
    });
  }

  @Test
  void propertiesDifferByMachineType() throws Exception {
    assertThat(HostChecks.checkQemu(spec("{\"type\": \"none\", \"options\": {\"hpet\": true}}"), qemuOnPath()))
        .extracting(Violation::path).containsExactly("machine.options.hpet");
    assertThat(HostChecks.checkQemu(spec("{\"type\": \"q35\", \"options\": {\"hpet\": true, \"usb\": \"off\","
        + " \"kernel-irqchip\": \"split\"}}"), qemuOnPath())).isEmpty();
  }

  @Test
  void anUnknownMachineTypeIsAViolationOfTheType() throws Exception {
    assertThat(HostChecks.checkQemu(spec("{\"type\": \"pc-q35-1.0-nope\"}"), qemuOnPath()))
        .extracting(Violation::path).containsExactly("machine.type");
  }
}

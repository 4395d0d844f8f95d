package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** machine.options, disableModern, romfile and the 9p driver: shape rules with paths and clear messages. */
class SeedOptionsTest {

  static String device(String json) {
    return "{\"name\": \"v\", \"devices\": [" + json + "]}";
  }

  static String machine(String options) {
    return "{\"name\": \"v\", \"machine\": {\"options\": " + options + "}}";
  }

  @Test
  void machineOptionsAreCheckedForShape() {
    assertThat(ValidationTest.only(machine("{\"Bad Name\": 1}"))).startsWith(
        "machine.options.Bad Name: is not a -machine property name");
    assertThat(ValidationTest.only(machine("{\"dumpdtb\": \"/tmp/x.dtb\"}")))
        .isEqualTo("machine.options.dumpdtb: is refused: it makes QEMU write a host file and quit");
    assertThat(ValidationTest.only(machine("{\"accel\": \"kvm\"}")))
        .isEqualTo("machine.options.accel: is set through machine.accel, not machine.options");
    assertThat(ValidationTest.only(machine("{\"kernel\": \"vmlinuz\"}")))
        .isEqualTo("machine.options.kernel: names a host file: must be an absolute path");
    assertThat(ValidationTest.only(machine("{\"usb\": [1]}")))
        .isEqualTo("machine.options.usb: must be a string, an integer or a boolean, not an array");
    assertThat(ValidationTest.only(machine("{\"x-oem-id\": \"a\\nb\"}")))
        .isEqualTo("machine.options.x-oem-id: must not contain control characters");
    assertThat(ValidationTest.only(machine("[]")))
        .isEqualTo("machine.options: must be an object of -machine properties, not an array");
    assertThat(ValidationTest.only("{\"name\": \"v\", \"bios\": \"/b.bin\", \"machine\": {\"options\":"
        + " {\"firmware\": \"/f.bin\"}}}")).isEqualTo("machine.options.firmware: cannot be used together with bios");
  }

  @Test
  void machineOptionValuesAreEscapedByTheOneEscaper() {
    VmSpec s = GoldenCases.valid(machine("{\"x-oem-id\": \"a,b\", \"usb\": false, \"phandle-start\": 7}"), "m");
    assertThat(QemuArgv.render(s, GoldenArgvTest.CONTEXT))
        .contains("q35,x-oem-id=a,,b,usb=off,phandle-start=7");
  }

  @Test
  void disableModernOnlyWhereQemuHasLegacyVirtio() {
    assertThat(ValidationTest.only(device("{\"kind\": \"pcie-root-port\", \"id\": \"p\", \"chassis\": 1},"
        + " {\"kind\": \"rng\", \"id\": \"r\", \"bus\": \"p\", \"disableModern\": true}")))
        .startsWith("devices[1].disableModern: QEMU makes a virtio device behind a pcie-root-port modern-only");
    assertThat(ValidationTest.only(device("{\"kind\": \"nic\", \"id\": \"n\", \"backend\": \"user\", \"model\":"
        + " \"e1000e\", \"disableModern\": true}"))).startsWith(
        "devices[0].disableModern: a nic of model e1000e has no legacy virtio mode");
    assertThat(ValidationTest.only(device("{\"kind\": \"vsock\", \"id\": \"v\", \"cid\": 3, \"disableModern\":"
        + " true}"))).startsWith("devices[0].disableModern: a vsock has no legacy virtio mode");
    assertThat(ValidationTest.only(device("{\"kind\": \"pvpanic\", \"id\": \"p\", \"disableModern\": true}")))
        .isEqualTo("devices[0].disableModern: is only for PCI devices; this pvpanic is not one (see its model)");
  }

  @Test
  void romfileIsAPathOrNothing() {
    assertThat(ValidationTest.only(device("{\"kind\": \"rng\", \"id\": \"r\", \"romfile\": \"rom.bin\"}")))
        .isEqualTo("devices[0].romfile: must be an absolute path, or \"\" for no option ROM");
    assertThat(ValidationTest.only(device("{\"kind\": \"pcie-root-port\", \"id\": \"p\", \"chassis\": 1,"
        + " \"romfile\": \"\"}"))).startsWith("devices[0].romfile: a pcie-root-port has no option ROM");
    VmSpec s = GoldenCases.valid(device("{\"kind\": \"rng\", \"id\": \"r\", \"romfile\": \"/missing/rom.bin\"}"),
        "r");
    assertThat(HostChecks.check(s, new HostFacts(false, false, false, false))).extracting(Violation::toString)
        .containsExactly("devices[0].romfile: file /missing/rom.bin does not exist on this host");
  }

  @Test
  void removedAndDeprecated9pDriversAreRefusedSayingSo() {
    String ninep = "{\"kind\": \"9p\", \"id\": \"s\", \"path\": \"/srv\", \"mountTag\": \"t\", \"driver\": \"%s\"}";
    assertThat(ValidationTest.only(device(ninep.formatted("handle"))))
        .contains("devices[0].driver: the 9p \"handle\" driver was removed from QEMU");
    assertThat(ValidationTest.only(device(ninep.formatted("proxy"))))
        .contains("devices[0].driver: the 9p \"proxy\" driver is deprecated in QEMU");
    GoldenCases.valid(device(ninep.formatted("local")), "local");
  }
}

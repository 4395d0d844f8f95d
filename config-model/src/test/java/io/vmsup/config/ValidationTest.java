package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation collects every problem, each with its JSON path and what is allowed. */
class ValidationTest {

  static List<Violation> violations(String json) {
    SpecResult result = VmSpecs.parse(json);
    assertThat(result).as("expected invalid: %s", json).isInstanceOf(SpecResult.Invalid.class);
    return ((SpecResult.Invalid) result).violations();
  }

  static List<String> paths(String json) {
    return violations(json).stream().map(Violation::path).toList();
  }

  static String only(String json) {
    List<Violation> v = violations(json);
    assertThat(v).hasSize(1);
    return v.get(0).toString();
  }

  @Test
  void reportsEveryIndependentProblemAtOnce() {
    String json = """
        {
          "name": "bad name!",
          "uuid": "not-a-uuid",
          "smp": {"cpus": 4, "maxCpus": 2},
          "memory": {"size": "12Q"},
          "colour": "blue",
          "devices": [
            {"kind": "disk", "id": "d0", "file": "relative/disk.img"},
            {"kind": "disk", "id": "d0", "file": "/ok.img"},
            {"kind": "toaster", "id": "t0"},
            {"kind": "nic", "id": "n0", "backend": "user", "mac": "01:00:5e:00:00:01", "bus": "nowhere"},
            {"kind": "vsock", "id": "v0", "cid": 2},
            {"kind": "serial-port", "id": "s0", "chardev": "missing"},
            {"kind": "chardev", "id": "c0", "backend": "file", "path": "/tmp/log\\u0007"}
          ]
        }""";
    assertThat(paths(json)).containsExactlyInAnyOrder(
        "name", "uuid", "smp.maxCpus", "memory.size", "colour",
        "devices[0].file", "devices[1].id", "devices[2].kind", "devices[3].mac", "devices[3].bus",
        "devices[4].cid", "devices[5].chardev", "devices[6].path");
  }

  @Test
  void messagesSayWhatIsAllowed() {
    assertThat(only("{\"name\": \"a\", \"devices\": [{\"kind\": \"disk\", \"id\": \"d\", \"file\": \"x\"}]}"))
        .isEqualTo("devices[0].file: must be an absolute path");
    assertThat(only("{\"name\": \"a\", \"colour\": 1}")).startsWith("colour: unknown field; allowed: ")
        .contains("devices", "machine", "name", "supervision");
    assertThat(only("{\"name\": \"a\", \"devices\": [{\"kind\": \"toaster\"}]}"))
        .startsWith("devices[0].kind: unknown kind \"toaster\"; allowed: disk, nic, chardev");
    assertThat(only("{\"name\": \"a\", \"devices\": [{\"kind\": \"iothread\", \"id\": \"i\", \"bogus\": 1}]}"))
        .isEqualTo("devices[0].bogus: unknown field; allowed: id, kind");
    assertThat(only("{\"name\": \"a\", \"machine\": {\"accel\": \"hvf\"}}"))
        .isEqualTo("machine.accel: must be one of \"kvm\", \"tcg\", \"auto\", not \"hvf\"");
    assertThat(only("{\"name\": \"a\", \"devices\": [{\"kind\": \"vsock\", \"id\": \"v\", \"cid\": 2}]}"))
        .isEqualTo("devices[0].cid: must be from 3 to 4294967294, not 2");
    assertThat(only("{\"name\": \"a\", \"smp\": {\"cpus\": 4, \"maxCpus\": 2}}"))
        .isEqualTo("smp.maxCpus: must be at least cpus (4), not 2");
  }

  @Test
  void duplicateIdsAndDanglingReferencesNameBothEnds() {
    String json = """
        {"name": "a", "devices": [
          {"kind": "iothread", "id": "x"},
          {"kind": "balloon", "id": "x"},
          {"kind": "disk", "id": "d", "file": "/d", "iothread": "nope", "bus": "x"},
          {"kind": "virtio-console", "id": "c", "chardev": "x", "bus": "vs"}
        ]}""";
    assertThat(violations(json)).extracting(Violation::toString).containsExactlyInAnyOrder(
        "devices[1].id: duplicate id \"x\" (also devices[0])",
        "devices[2].iothread: no iothread device with id \"nope\"",
        "devices[2].bus: \"x\" is a iothread, which provides no PCI bus; PCI buses come from pci-bridge,"
            + " pcie-pci-bridge and pcie-root-port devices",
        "devices[3].chardev: no chardev device with id \"x\"",
        "devices[3].bus: no device with id \"vs\" provides a virtio-serial bus");
  }

  @Test
  void sizesMacsUuidsAndNamesFollowTheirRules() {
    assertThat(paths("{\"name\": \"a\", \"memory\": {\"size\": \"1.5G\"}}")).containsExactly("memory.size");
    assertThat(paths("{\"name\": \"a\", \"memory\": {\"size\": 1000}}")).containsExactly("memory.size");
    assertThat(VmSpecs.parse("{\"name\": \"a\", \"memory\": {\"size\": 268435456}}"))
        .isInstanceOf(SpecResult.Valid.class);
    assertThat(VmSpecs.parse("{\"name\": \"a\", \"memory\": {\"size\": \"2g\"}}"))
        .isInstanceOf(SpecResult.Valid.class);
    for (String mac : List.of("52:54:00:12:34", "52-54-00-12-34-56", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00")) {
      assertThat(paths("{\"name\": \"a\", \"devices\": [{\"kind\": \"nic\", \"id\": \"n\", \"backend\": \"user\","
          + " \"mac\": \"" + mac + "\"}]}")).as(mac).containsExactly("devices[0].mac");
    }
    for (String name : List.of("", "-lead", ".hidden", "has space", "slash/no", "x".repeat(64), "tab\\there")) {
      assertThat(paths("{\"name\": \"" + name + "\"}")).as(name).containsExactly("name");
    }
    for (String name : List.of("a", "web-01", "a,b", "A.b_c+d", "x".repeat(63))) {
      assertThat(VmSpecs.parse("{\"name\": \"" + name + "\"}")).as(name).isInstanceOf(SpecResult.Valid.class);
    }
    assertThat(paths("{\"name\": \"a\", \"uuid\": \"12345678-1234-1234-1234-12345678\"}")).containsExactly("uuid");
    assertThat(paths("{}")).containsExactly("name");
  }

  @Test
  void controlCharactersAreRejectedInAnyString() {
    assertThat(only("{\"name\": \"a\", \"kernel\": {\"path\": \"/k\", \"cmdline\": \"a\\nb\"}}"))
        .isEqualTo("kernel.cmdline: must not contain control characters (found U+000A)");
    assertThat(paths("{\"name\": \"a\", \"globals\": [{\"driver\": \"d\", \"property\": \"p\", \"value\": \"\\u001b\"}]}"))
        .containsExactly("globals[0].value");
  }

  @Test
  void badJsonSyntaxAndDuplicateKeysGiveLineAndColumn() {
    assertThat(only("{\n  \"name\": \"a\",\n  \"name\": \"b\"\n}"))
        .startsWith("invalid JSON at line 3, column ").endsWith("duplicate key \"name\"");
    assertThat(only("{\n  \"name\": \"a\"\n  \"cpu\": \"max\"\n}")).startsWith("invalid JSON at line 3, column 3: ");
    assertThat(only("")).isEqualTo("the spec is empty; expected a JSON object");
    assertThat(only("[1]")).isEqualTo("must be an object, not an array");
    assertThat(only("{\"name\": \"a\"} x")).startsWith("invalid JSON at line 1");
    assertThat(only("{\"name\": /* c */ \"a\"}")).endsWith("comments are not allowed");
  }

  @Test
  void numbersAreReportedAsNumbers() {
    assertThat(only("{\"name\": \"a\", \"memory\": {\"size\": -1}}"))
        .isEqualTo("memory.size: must be >= 0 (a size in bytes), not -1");
    assertThat(only("{\"name\": \"a\", \"memory\": {\"size\": 1e400}}"))
        .startsWith("memory.size: number out of range: ").endsWith("not 1E+400");
    assertThat(only("{\"name\": \"a\", \"memory\": {\"size\": 1.5}}"))
        .isEqualTo("memory.size: must be a whole number, not 1.5");
    assertThat(only("{\"name\": \"a\", \"smp\": {\"cpus\": 1e400}}")).startsWith("smp.cpus: number out of range");
    assertThat(only("{\"name\": \"a\", \"smp\": {\"cpus\": -1}}")).startsWith("smp.cpus: must be from 1 to ");
    assertThat(VmSpecs.parse("{\"name\": \"a\", \"memory\": {\"size\": 2.68435456e8}}"))
        .isInstanceOf(SpecResult.Valid.class);
  }

  @Test
  void crossFieldRules() {
    assertThat(paths("{\"name\": \"a\", \"machine\": {\"accel\": \"tcg\"}, \"cpu\": \"host\"}")).containsExactly("cpu");
    assertThat(paths("{\"name\": \"a\", \"smp\": {\"cpus\": 2, \"sockets\": 2, \"cores\": 2, \"threads\": 1}}"))
        .containsExactly("smp");
    assertThat(paths("{\"name\": \"a\", \"memory\": {\"slots\": 2}}")).containsExactly("memory.max");
    assertThat(paths("{\"name\": \"a\", \"devices\": [{\"kind\": \"virtio-fs\", \"id\": \"f\", \"socket\": \"/s\","
        + " \"tag\": \"t\"}]}")).containsExactly("devices[0]");
    assertThat(paths("{\"name\": \"a\", \"machine\": {\"type\": \"none\"}, \"devices\": [{\"kind\": \"balloon\","
        + " \"id\": \"b\"}]}")).containsExactly("devices[0]");
    assertThat(paths("{\"name\": \"a\", \"machine\": {\"type\": \"pc\"}, \"devices\": [{\"kind\": \"pcie-root-port\","
        + " \"id\": \"r\", \"chassis\": 1}]}")).containsExactly("devices[0]");
    assertThat(paths("{\"name\": \"a\", \"devices\": [{\"kind\": \"pcie-root-port\", \"id\": \"r\", \"chassis\": 1},"
        + "{\"kind\": \"balloon\", \"id\": \"b1\", \"bus\": \"r\"}, {\"kind\": \"balloon\", \"id\": \"b2\","
        + " \"bus\": \"r\"}]}")).containsExactly("devices[2].bus");
    assertThat(paths("{\"name\": \"a\", \"devices\": [{\"kind\": \"pci-bridge\", \"id\": \"a\", \"chassisNr\": 1,"
        + " \"bus\": \"b\"}, {\"kind\": \"pci-bridge\", \"id\": \"b\", \"chassisNr\": 2, \"bus\": \"a\"}]}"))
        .containsExactlyInAnyOrder("devices[0].bus", "devices[1].bus");
    assertThat(paths("{\"name\": \"a\", \"devices\": [{\"kind\": \"nic\", \"id\": \"n\", \"backend\": \"tap\"}]}"))
        .containsExactly("devices[0].ifname");
    assertThat(paths("{\"name\": \"a\", \"devices\": [{\"kind\": \"disk\", \"id\": \"d\", \"file\": \"/d\","
        + " \"aio\": \"native\"}]}")).containsExactly("devices[0].aio");
    assertThat(paths("{\"name\": \"a\", \"devices\": [{\"kind\": \"iothread\", \"id\": \"vmsup-x\"}]}"))
        .containsExactly("devices[0].id");
  }

  @Test
  void limitsQemuWouldEnforceAtStart() {
    assertThat(paths("{\"name\": \"a\", \"machine\": {\"type\": \"none\"}, \"vga\": \"std\", \"smp\": {\"cpus\": 2},"
        + " \"kernel\": {\"path\": \"/k\"}, \"fwCfg\": [{\"name\": \"opt/x\", \"string\": \"y\"}]}"))
        .containsExactlyInAnyOrder("vga", "smp", "kernel", "fwCfg");
    assertThat(paths("{\"name\": \"a\", \"smp\": {\"cpus\": 4, \"sockets\": 3}}")).containsExactly("smp");
    assertThat(paths("{\"name\": \"a\", \"devices\": [{\"kind\": \"pvpanic\", \"id\": \"p1\"},"
        + " {\"kind\": \"pvpanic\", \"id\": \"p2\"}]}")).containsExactly("devices");
    assertThat(paths("{\"name\": \"a\", \"devices\": [{\"kind\": \"disk\", \"id\": \"d1\", \"file\": \"/a\","
        + " \"bootIndex\": 1}, {\"kind\": \"nic\", \"id\": \"n1\", \"backend\": \"user\", \"bootIndex\": 1}]}"))
        .containsExactly("devices[1].bootIndex");
    assertThat(paths("{\"name\": \"a\", \"memory\": {\"size\": \"1G\", \"slots\": 1, \"max\": \"1200M\"},"
        + " \"devices\": [{\"kind\": \"memory-backend\", \"id\": \"m1\", \"size\": \"256M\"},"
        + " {\"kind\": \"memory-backend\", \"id\": \"m2\", \"size\": \"256M\"},"
        + " {\"kind\": \"dimm\", \"id\": \"d1\", \"memdev\": \"m1\"}, {\"kind\": \"dimm\", \"id\": \"d2\","
        + " \"memdev\": \"m2\"}]}")).containsExactlyInAnyOrder("memory.slots", "memory.max");
  }

  @Test
  void supervisionDefaultsAndOverrides() {
    VmSpec spec = ((SpecResult.Valid) VmSpecs.parse("{\"name\": \"a\"}")).spec();
    assertThat(spec.supervision()).isEqualTo(Supervision.defaults());
    VmSpec custom = ((SpecResult.Valid) VmSpecs.parse("{\"name\": \"a\", \"supervision\": {\"restart\": \"always\","
        + " \"stopGrace\": \"500ms\", \"backoffMax\": \"2m\", \"startLimitBurst\": 3, \"startPaused\": true}}")).spec();
    assertThat(custom.supervision().restart()).isEqualTo(RestartPolicy.ALWAYS);
    assertThat(custom.supervision().stopGrace()).hasMillis(500);
    assertThat(custom.supervision().backoffMax()).hasMinutes(2);
    assertThat(custom.supervision().startLimitBurst()).isEqualTo(3);
    assertThat(paths("{\"name\": \"a\", \"supervision\": {\"restart\": \"sometimes\", \"stopGrace\": \"30\"}}"))
        .containsExactlyInAnyOrder("supervision.restart", "supervision.stopGrace");
  }
}

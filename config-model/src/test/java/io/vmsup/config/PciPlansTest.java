package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Addresses are planned deterministically, kept once given, and user clashes name both paths. */
class PciPlansTest {

  static final String Q35 = """
      {"name": "vm", "machine": {"type": "q35", "hotplugPorts": 2}, "devices": [
        {"kind": "disk", "id": "root", "file": "/img/root.raw"},
        {"kind": "nic", "id": "net0", "backend": "user"},
        {"kind": "rng", "id": "rng0"}
      ]}""";

  static VmSpec spec(String json) {
    return GoldenCases.valid(json, json);
  }

  static String addr(PciLayout l, String id) {
    return l.address(id).orElseThrow().toString();
  }

  @Test
  void createGivesEveryPciDeviceTheLowestFreeSlotThenSparePorts() {
    PciPlan plan = PciPlans.create(spec(Q35));
    assertThat(plan.violations()).isEmpty();
    PciLayout l = plan.layout();
    assertThat(l.devices()).containsOnlyKeys("root", "net0", "rng0");
    assertThat(addr(l, "root")).isEqualTo("pcie.0:02.0");
    assertThat(addr(l, "net0")).isEqualTo("pcie.0:03.0");
    assertThat(addr(l, "rng0")).isEqualTo("pcie.0:04.0");
    assertThat(l.ports()).extracting(p -> p.id() + "@" + p.address())
        .containsExactly("vmsup-port0@pcie.0:05.0", "vmsup-port1@pcie.0:06.0");
  }

  @Test
  void twoVmsFromTheSameSpecGetTheSameLayout() {
    PciLayout a = PciPlans.create(spec(Q35)).layout();
    PciLayout b = PciPlans.create(spec(Q35.replace("\"vm\"", "\"other\""))).layout();
    assertThat(a.devices()).isEqualTo(b.devices());
    assertThat(a.ports()).isEqualTo(b.ports());
    assertThat(a.mac("net0")).as("the MAC is the VM's own").isNotEqualTo(b.mac("net0"));
  }

  @Test
  void layoutSurvivesItsStoredForm() {
    PciLayout a = PciPlans.create(spec(Q35)).layout();
    assertThat(PciPlans.fromJson(PciPlans.toJson(a))).isEqualTo(a);
    assertThatThrownBy(() -> PciPlans.fromJson("{\"devices\": {\"x\": \"pcie.0:99.0\"}, \"ports\": []}"))
        .isInstanceOf(IllegalArgumentException.class);
    for (String bad : List.of("[]", "", "{", "{\"devices\": {}}", "{\"devices\": {\"x\": 1}, \"ports\": []}",
        "{\"devices\": {\"x\": \"nocolon\"}, \"ports\": []}", "{\"devices\": {}, \"ports\": [{}]}",
        "{\"devices\": {}, \"ports\": [{\"id\": \"vmsup-port0\", \"chassis\": 1, \"slot\": 1}]}")) {
      assertThatThrownBy(() -> PciPlans.fromJson(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void addressesAlreadyGivenNeverMove() {
    VmSpec three = spec(Q35);
    PciLayout l = PciPlans.create(three).layout();
    // the second device goes away, a new one comes first in the spec: nobody else moves
    VmSpec edited = spec(Q35.replace("{\"kind\": \"nic\", \"id\": \"net0\", \"backend\": \"user\"},",
        "").replace("\"devices\": [", "\"devices\": [{\"kind\": \"balloon\", \"id\": \"b\"},"));
    PciLayout next = PciPlans.complete(edited, l.without("net0")).layout();
    assertThat(addr(next, "root")).isEqualTo("pcie.0:02.0");
    assertThat(addr(next, "rng0")).isEqualTo("pcie.0:04.0");
    assertThat(addr(next, "b")).as("the freed slot is reused").isEqualTo("pcie.0:03.0");
  }

  @Test
  void hotPlugTakesTheFirstFreeSparePortAndDetachFreesIt() {
    PciLayout l = PciPlans.create(spec(Q35)).layout();
    String withFour = Q35.replace("{\"kind\": \"rng\", \"id\": \"rng0\"}",
        "{\"kind\": \"rng\", \"id\": \"rng0\"}, {\"kind\": \"balloon\", \"id\": \"b\"}");
    PciPlan plugged = PciPlans.attach(spec(withFour), l, "b");
    assertThat(plugged.violations()).isEmpty();
    assertThat(addr(plugged.layout(), "b")).isEqualTo("vmsup-port0:00.0");
    String withFive = withFour.replace("{\"kind\": \"balloon\", \"id\": \"b\"}",
        "{\"kind\": \"balloon\", \"id\": \"b\"}, {\"kind\": \"nic\", \"id\": \"n2\", \"backend\": \"user\"}");
    PciLayout five = PciPlans.attach(spec(withFive), plugged.layout(), "n2").layout();
    assertThat(addr(five, "n2")).isEqualTo("vmsup-port1:00.0");
    String withSix = withFive.replace("\"id\": \"n2\", \"backend\": \"user\"}",
        "\"id\": \"n2\", \"backend\": \"user\"}, {\"kind\": \"nic\", \"id\": \"n3\", \"backend\": \"user\"}");
    PciPlan full = PciPlans.attach(spec(withSix), five, "n3");
    assertThat(full.violations()).singleElement().satisfies(v -> {
      assertThat(v.path()).isEqualTo("devices[5]");
      assertThat(v.message()).contains("no free hot-plug port", "machine.hotplugPorts");
    });
    PciLayout freed = five.without("b");
    assertThat(addr(PciPlans.attach(spec(withSix), freed, "n3").layout(), "n3")).isEqualTo("vmsup-port0:00.0");
  }

  @Test
  void hotPlugOntoPcie0IsRefused() {
    PciLayout l = PciPlans.create(spec(Q35)).layout();
    String json = Q35.replace("{\"kind\": \"rng\", \"id\": \"rng0\"}",
        "{\"kind\": \"rng\", \"id\": \"rng0\"}, {\"kind\": \"balloon\", \"id\": \"b\", \"bus\": \"pcie.0\"}");
    assertThat(PciPlans.attach(spec(json), l, "b").violations()).singleElement()
        .satisfies(v -> assertThat(v.toString()).startsWith("devices[3].bus: bus \"pcie.0\" does not take hot-plug"));
  }

  @Test
  void hotPlugOnPcUsesTheNextFreeRootSlotAndHonoursPins() {
    String pc = Q35.replace("\"q35\", \"hotplugPorts\": 2", "\"pc\"");
    PciLayout l = PciPlans.create(spec(pc)).layout();
    assertThat(l.ports()).isEmpty();
    assertThat(addr(l, "root")).isEqualTo("pci.0:03.0");
    String more = pc.replace("{\"kind\": \"rng\", \"id\": \"rng0\"}",
        "{\"kind\": \"rng\", \"id\": \"rng0\"}, {\"kind\": \"balloon\", \"id\": \"b\", \"addr\": \"04\"},"
            + " {\"kind\": \"balloon\", \"id\": \"c\"}");
    PciPlan clash = PciPlans.attach(spec(more), l, "b");
    assertThat(clash.violations()).singleElement().satisfies(v -> assertThat(v.toString())
        .isEqualTo("devices[3].addr: address pci.0:04.0 is already used by devices[1] (\"net0\")"));
    assertThat(addr(PciPlans.attach(spec(more), l, "c").layout(), "c")).isEqualTo("pci.0:06.0");
  }

  @Test
  void userClashIsOneViolationNamingBothPaths() {
    String json = """
        {"name": "vm", "devices": [
          {"kind": "rng", "id": "a", "addr": "05"},
          {"kind": "balloon", "id": "b", "addr": "0x05.0"}
        ]}""";
    assertThat(ValidationTest.only(json))
        .isEqualTo("devices[1].addr: address pcie.0:05.0 is already used by devices[0].addr");
  }

  @Test
  void pinnedAddressesAreCheckedAgainstTheBus() {
    assertThat(ValidationTest.only("{\"name\": \"v\", \"devices\": [{\"kind\": \"rng\", \"id\": \"a\", \"addr\":"
        + " \"1f\"}]}")).startsWith("devices[0].addr: slot 1f is not free on bus \"pcie.0\"; usable slots: 02 03");
    assertThat(ValidationTest.only("{\"name\": \"v\", \"devices\": [{\"kind\": \"pcie-root-port\", \"id\": \"p\","
        + " \"chassis\": 1}, {\"kind\": \"rng\", \"id\": \"a\", \"bus\": \"p\", \"addr\": \"01\"}]}"))
        .isEqualTo("devices[1].addr: slot 01 is not free on bus \"p\"; usable slots: 00");
    assertThat(ValidationTest.only("{\"name\": \"v\", \"devices\": [{\"kind\": \"rng\", \"id\": \"a\", \"addr\":"
        + " \"05.3\"}]}")).isEqualTo("devices[0].addr: function 3 needs a device pinned at function 0 of the"
        + " same slot (pcie.0:05.0)");
    assertThat(ValidationTest.only("{\"name\": \"v\", \"devices\": [{\"kind\": \"rng\", \"id\": \"a\", \"addr\":"
        + " \"20\"}]}")).startsWith("devices[0].addr: must be a PCI slot SS or SS.F");
  }

  @Test
  void theLayoutPlacesTheRenderedDevices() {
    VmSpec s = spec(Q35);
    PciLayout l = PciPlans.create(s).layout();
    var argv = QemuArgv.render(s, GoldenArgvTest.CONTEXT, l);
    String net0 = "virtio-net-pci,id=net0,netdev=net0.net,mac=" + l.mac("net0").orElseThrow() + ",bus=pcie.0,addr=03.0";
    assertThat(argv).contains(net0,
        "pcie-root-port,id=vmsup-port1,bus=pcie.0,addr=06.0,chassis=254,slot=2");
    assertThat(argv.indexOf("pcie-root-port,id=vmsup-port0,bus=pcie.0,addr=05.0,chassis=254,slot=1"))
        .as("planned ports come before the spec's devices").isLessThan(argv.indexOf(
            net0));
    Device rng = s.device("rng0").orElseThrow();
    PciLayout moved = new PciLayout(Map.of("rng0", new PciAddress("vmsup-port0", new PciSlot(0, 0))), l.ports());
    assertThat(QmpHotplug.plan(rng, moved).steps().get(1).arguments())
        .containsEntry("bus", "vmsup-port0").containsEntry("addr", "00.0");
  }
}

package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmsup.config.impl.MacPlanner;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** NICs without a mac get a stable, unique one, stored in the layout; user MACs and old layouts are left alone. */
class MacPlansTest {

  static final String TWO_NICS = """
      {"name": "vm", "machine": {"type": "q35", "hotplugPorts": 1}, "devices": [
        {"kind": "nic", "id": "net0", "backend": "user"},
        {"kind": "nic", "id": "net1", "backend": "user"},
        {"kind": "nic", "id": "fixed", "backend": "user", "mac": "52:54:00:aa:bb:cc"}
      ]}""";

  static VmSpec spec(String json) {
    return PciPlansTest.spec(json);
  }

  @Test
  void everyNicWithoutMacGetsAStableUniqueLocalOne() {
    PciLayout a = PciPlans.create(spec(TWO_NICS)).layout();
    PciLayout again = PciPlans.create(spec(TWO_NICS)).layout();
    assertThat(a.macs()).containsOnlyKeys("net0", "net1");
    assertThat(a.macs()).isEqualTo(again.macs());
    assertThat(a.mac("net0")).isNotEqualTo(a.mac("net1"));
    assertThat(a.macs().values()).allSatisfy(m -> assertThat(m).matches("52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}")
        .doesNotStartWith("52:54:00:12:34:"));
    List<String> argv = QemuArgv.render(spec(TWO_NICS), GoldenArgvTest.CONTEXT, a);
    assertThat(argv).anyMatch(s -> s.startsWith("virtio-net-pci,id=net0,netdev=net0.net,mac=" + a.mac("net0").get()))
        .anyMatch(s -> s.startsWith("virtio-net-pci,id=fixed,netdev=fixed.net,mac=52:54:00:aa:bb:cc,"));
  }

  @Test
  void aMacInUseByAnotherVmOrTheSpecIsSkipped() {
    PciLayout first = PciPlans.create(spec(TWO_NICS)).layout();
    String taken = first.mac("net0").orElseThrow();
    PciLayout second = PciPlans.create(spec(TWO_NICS), Set.of(taken.toUpperCase())).layout();
    assertThat(second.mac("net0")).get().isNotEqualTo(taken);
    assertThat(second.mac("net1")).isEqualTo(first.mac("net1"));
    String pinned = TWO_NICS.replace("52:54:00:aa:bb:cc", taken);
    assertThat(PciPlans.create(spec(pinned)).layout().mac("net0")).get().isNotEqualTo(taken);
  }

  @Test
  void aManyWayClashStillEndsWithAFreeMac() {
    Set<String> avoid = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String m = MacPlanner.derive("vm", "net0", avoid);
      assertThat(avoid.add(m)).as("never a MAC already handed out").isTrue();
    }
  }

  @Test
  void keptOnCompleteDroppedOnDetachAndGivenOnAttach() {
    VmSpec s = spec(TWO_NICS);
    PciLayout l = PciPlans.create(s).layout();
    assertThat(PciPlans.complete(s, l).layout()).isEqualTo(l);
    assertThat(l.without("net1").mac("net1")).isEmpty();
    VmSpec plus = spec(TWO_NICS.replace("\"devices\": [", "\"devices\": [{\"kind\": \"nic\", \"id\": \"hot\","
        + " \"backend\": \"user\"},"));
    PciLayout attached = PciPlans.attach(plus, l, "hot").layout();
    assertThat(attached.mac("hot")).isPresent();
    assertThat(attached.mac("net0")).isEqualTo(l.mac("net0"));
  }

  @Test
  void aLayoutFromBeforeMacsKeepsQemusDefaultsUntilRecorded() {
    VmSpec s = spec(TWO_NICS);
    PciLayout old = PciPlans.fromJson("{\"devices\": {\"net0\": \"pcie.0:02.0\"}, \"ports\": []}");
    assertThat(old.macsFromQemu()).isTrue();
    PciLayout completed = PciPlans.complete(s, old).layout();
    assertThat(completed.macs()).as("the guests saw QEMU's default MACs: nothing assigned").isEmpty();
    assertThat(QemuArgv.render(s, GoldenArgvTest.CONTEXT, completed))
        .anyMatch(a -> a.startsWith("virtio-net-pci,id=net0,netdev=net0.net,bus="));
    assertThat(PciPlans.toJson(completed)).doesNotContain("macs");
    PciLayout recorded = completed.withRecordedMacs(java.util.Map.of("net0", "52:54:00:12:34:56"));
    PciLayout back = PciPlans.fromJson(PciPlans.toJson(recorded));
    assertThat(back.macsFromQemu()).isFalse();
    assertThat(back.mac("net0")).contains("52:54:00:12:34:56");
    assertThat(PciPlans.complete(s, back).layout().mac("net1")).as("new NICs get one from then on").isPresent();
  }

  @Test
  void aStoredMacMustBeAUnicastAddress() {
    for (String bad : List.of("[]", "{\"x\": 1}", "{\"x\": \"01:00:5e:00:00:01\"}", "{\"x\": \"nope\"}")) {
      assertThatThrownBy(() -> PciPlans.fromJson("{\"devices\": {}, \"ports\": [], \"macs\": " + bad + "}"))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}

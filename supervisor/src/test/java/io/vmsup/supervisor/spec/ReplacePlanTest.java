package io.vmsup.supervisor.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.HostFacts;
import io.vmsup.config.PathRoots;
import io.vmsup.config.PciAddress;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciPlans;
import io.vmsup.supervisor.api.VmException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a replace keeps of a VM's PCI layout, what it frees, and what it refuses because a device would move. */
class ReplacePlanTest {

  private static final SpecParser PARSER = SpecParser.create(HostFacts.probe(), "qemu-system-x86_64",
      PathRoots.of(List.of(Path.of("/var/lib/vmsup"))));

  private static JsonObject q35(JsonObject... devices) {
    return new JsonObject().put("name", "r").put("machine", new JsonObject().put("type", "q35"))
        .put("devices", new JsonArray(List.of((Object[]) devices)));
  }

  private static JsonObject nic(String id) {
    return new JsonObject().put("kind", "nic").put("id", id).put("backend", "user");
  }

  private static JsonObject balloon(String id) {
    return new JsonObject().put("kind", "balloon").put("id", id);
  }

  /** A VM as created: its layout planned by create. */
  private static VmDefinition created(JsonObject spec) {
    VmDefinition def = PARSER.parse(spec.encode());
    return def.withLayout(PciPlans.create(def.spec(), Set.of()).layout());
  }

  private static ReplacePlan plan(VmDefinition old, JsonObject next) {
    return ReplacePlan.of(old, PARSER.parse(next.encode()), Set.of());
  }

  @Test
  void keptDevicesKeepAddressAndMacAndTheRemovedOnesStayInTheFirstWriteOnly() {
    VmDefinition old = created(q35(nic("n0"), balloon("b0")));
    PciLayout was = old.layout().orElseThrow();
    ReplacePlan p = plan(old, q35(nic("n0")).put("memory", new JsonObject().put("size", "1G")));
    assertThat(p.layout().address("n0")).isEqualTo(was.address("n0"));
    assertThat(p.layout().mac("n0")).isEqualTo(was.mac("n0")).isPresent();
    assertThat(p.layout().address("b0")).as("the removed balloon frees its slot").isEmpty();
    // written before the spec: a crash between the two writes leaves the old spec a layout that still places b0
    assertThat(p.firstLayout().address("b0")).isEqualTo(was.address("b0")).isPresent();
    assertThat(p.firstLayout().address("n0")).isEqualTo(was.address("n0"));
    assertThat(p.firstLayout().ports()).isEqualTo(was.ports());
    assertThat(p.definition().json().getJsonObject("memory").getString("size")).isEqualTo("1G");
  }

  @Test
  void aNewDeviceNeverTakesTheSlotTheSameReplaceFrees() {
    VmDefinition old = created(q35(nic("n0"), balloon("b0")));
    PciAddress b0 = old.layout().orElseThrow().address("b0").orElseThrow();
    ReplacePlan p = plan(old, q35(nic("n0"), nic("n1")));
    PciAddress n1 = p.layout().address("n1").orElseThrow();
    assertThat(n1).isNotIn(b0, p.layout().address("n0").orElseThrow());
    assertThat(p.layout().mac("n1")).isPresent().isNotEqualTo(p.layout().mac("n0"));
    assertThat(p.firstLayout().address("b0")).contains(b0);
    assertThat(p.firstLayout().used()).doesNotHaveDuplicates();
    // the next replace may use it
    VmDefinition between = p.definition();
    ReplacePlan again = plan(between, q35(nic("n0"), nic("n1"), nic("n2")));
    assertThat(again.layout().address("n2")).contains(b0);
  }

  @Test
  void whatWouldMoveADeviceIsRefusedWithEveryPath() {
    VmDefinition old = created(q35(nic("n0"), balloon("b0")));
    JsonObject next = new JsonObject().put("name", "r")
        .put("machine", new JsonObject().put("type", "pc").put("hotplugPorts", 3))
        .put("devices", new JsonArray().add(nic("n0").put("addr", "0x1f")).add(nic("b0")));
    assertThatThrownBy(() -> plan(old, next)).isInstanceOfSatisfying(VmException.class, e -> {
      JsonArray v = e.details().getJsonArray("violations");
      assertThat(v.stream().map(o -> ((JsonObject) o).getString("path")))
          .containsExactlyInAnyOrder("machine.type", "machine.hotplugPorts", "devices[0]", "devices[1]");
      assertThat(v.getJsonObject(0).getString("message")).contains("must stay \"q35\"");
    });
  }

  @Test
  void disksTheDaemonMadeStayAsTheyAre() {
    JsonObject disk = new JsonObject().put("kind", "disk").put("id", "d0").put("size", "1G");
    VmDefinition old = created(q35(disk));
    assertThat(plan(old, q35(disk.copy(), nic("n0"))).layout().address("d0"))
        .isEqualTo(old.layout().orElseThrow().address("d0"));
    assertThatThrownBy(() -> plan(old, q35(disk.copy().put("size", "2G"))))
        .isInstanceOfSatisfying(VmException.class, e -> assertThat(e.details().getJsonArray("violations")
            .getJsonObject(0).getString("path")).isEqualTo("devices[0]"));
    assertThatThrownBy(() -> plan(old, q35(nic("n0"))))
        .isInstanceOfSatisfying(VmException.class, e -> assertThat(e.details().getJsonArray("violations")
            .getJsonObject(0).getString("message")).startsWith("disk \"d0\" was made by the daemon"));
  }

  @Test
  void aVmWithoutARecordedLayoutGetsNoneAndMayChangeItsMachine() {
    VmDefinition old = PARSER.parse(q35(nic("n0")).encode());
    ReplacePlan p = plan(old, new JsonObject().put("name", "r").put("machine", new JsonObject().put("type", "pc")));
    assertThat(p.firstLayout()).isNull();
    assertThat(p.layout()).isNull();
  }
}

package io.vmsup.supervisor.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daemon's PCI layouts with real QEMU (q35, started paused: no guest needed): assigned at create and stored
 * beside the spec, equal for equal specs, recorded from QEMU for VMs created before layouts existed, extended by
 * hot-plug onto a spare root port; user clashes and unknown machine options are refused at create with their paths.
 */
class PciLayoutIT {

  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;

  static JsonObject spec(String name, JsonArray devices) {
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("accel", "tcg"))
        .put("supervision", new JsonObject().put("startPaused", true)).put("devices", devices);
  }

  static JsonArray threeDevices() {
    return new JsonArray().add(new JsonObject().put("kind", "rng").put("id", "r1"))
        .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp1").put("chassis", 1))
        .add(new JsonObject().put("kind", "balloon").put("id", "b1").put("bus", "rp1"));
  }

  private JsonObject qomAddress(String vm, String id) throws Exception {
    JsonObject out = new JsonObject();
    for (String property : List.of("parent_bus", "addr")) {
      out.put(property, f.request(Addresses.QMP, Fixture.name(vm).put("execute", "qom-get").put("arguments",
          new JsonObject().put("path", "/machine/peripheral/" + id).put("property", property))).getValue("return"));
    }
    return out;
  }

  private String address(String vm, String id) throws Exception {
    JsonObject q = qomAddress(vm, id);
    String bus = q.getString("parent_bus");
    int devfn = q.getInteger("addr");
    return bus.substring(bus.lastIndexOf('/') + 1) + ":" + String.format("%02x.%x", devfn >> 3, devfn & 7);
  }

  @Test
  void equalSpecsGetEqualLayoutsAndQemuPlacesDevicesThere() throws Exception {
    f = supervisors.start();
    JsonObject a = f.request(Addresses.CREATE, spec("a", threeDevices())).getJsonObject("pciLayout");
    JsonObject b = f.request(Addresses.CREATE, spec("b", threeDevices())).getJsonObject("pciLayout");
    assertThat(a).isEqualTo(b);
    assertThat(a.getJsonObject("devices").getMap()).isEqualTo(Map.of("r1", "pcie.0:02.0", "rp1", "pcie.0:03.0",
        "b1", "rp1:00.0"));
    assertThat(new JsonObject(Files.readString(supervisors.dir().resolve("vms/a/pci.json")))).isEqualTo(a);
    assertThat(new JsonObject(Files.readString(supervisors.dir().resolve("vms/a/spec.json")))).isEqualTo(spec("a", threeDevices()));

    f.request(Addresses.START, Fixture.name("a"));
    f.awaitState("a", "PAUSED", T);
    for (String id : List.of("rp1", "r1", "b1")) {
      assertThat(address("a", id)).isEqualTo(a.getJsonObject("devices").getString(id));
    }
    // hot-plug without a bus lands on the first spare root port, is stored, and is where QEMU put it
    f.request(Addresses.ATTACH, Fixture.name("a").put("device", new JsonObject().put("kind", "rng").put("id", "r2")));
    JsonObject after = f.request(Addresses.GET, Fixture.name("a")).getJsonObject("pciLayout");
    assertThat(after.getJsonObject("devices").getString("r2")).isEqualTo("vmsup-port0:00.0");
    assertThat(address("a", "r2")).isEqualTo("vmsup-port0:00.0");
    assertThat(Files.readString(supervisors.dir().resolve("vms/a/pci.json"))).contains("\"r2\" : \"vmsup-port0:00.0\"");

    ReplyException onRoot = f.failure(Addresses.ATTACH, Fixture.name("a").put("device", new JsonObject()
        .put("kind", "rng").put("id", "r3").put("bus", "pcie.0")));
    assertThat(onRoot.failureCode()).isEqualTo(400);
    assertThat(paths(onRoot)).containsExactly("device.bus");
  }

  @Test
  void aUserClashIs400NamingBothPaths() throws Exception {
    f = supervisors.start();
    ReplyException e = f.failure(Addresses.CREATE, spec("c", new JsonArray()
        .add(new JsonObject().put("kind", "rng").put("id", "r1").put("addr", "05"))
        .add(new JsonObject().put("kind", "balloon").put("id", "b1").put("addr", "05.0"))));
    assertThat(e.failureCode()).isEqualTo(400);
    JsonObject v = new JsonObject(e.getMessage()).getJsonArray("violations").getJsonObject(0);
    assertThat(v.getString("path")).isEqualTo("devices[1].addr");
    assertThat(v.getString("message")).contains("devices[0].addr");
  }

  @Test
  void unknownMachineOptionIs400AndAKnownOneReachesQemuEscaped() throws Exception {
    f = supervisors.start();
    JsonObject bad = spec("m", new JsonArray());
    bad.getJsonObject("machine").put("options", new JsonObject().put("hpte", false));
    ReplyException e = f.failure(Addresses.CREATE, bad);
    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(paths(e)).containsExactly("machine.options.hpte");

    JsonObject good = spec("m", new JsonArray());
    good.getJsonObject("machine").put("options", new JsonObject().put("x-oem-id", "a,b").put("hpet", false));
    f.request(Addresses.CREATE, good);
    f.request(Addresses.START, Fixture.name("m"));
    f.awaitState("m", "PAUSED", T);
    long pid = f.request(Addresses.GET, Fixture.name("m")).getLong("pid");
    assertThat(Fixture.cmdline(pid)).contains(" -machine q35,x-oem-id=a,,b,hpet=off ");
  }

  @Test
  void aVmFromBeforeLayoutsGetsQemusOwnPlacementRecordedAtItsNextStart() throws Exception {
    Path vm = Files.createDirectories(supervisors.dir().resolve("vms/old"));
    Files.writeString(vm.resolve("spec.json"), spec("old", threeDevices()).encodePrettily());
    Files.writeString(vm.resolve("desired"), "STOPPED\n");
    f = supervisors.start();
    assertThat(f.request(Addresses.GET, Fixture.name("old")).containsKey("pciLayout")).isFalse();

    f.request(Addresses.START, Fixture.name("old"));
    f.awaitState("old", "PAUSED", T);
    // QEMU's argument-order placement (first free slot), not what a create would assign (r1 02.0, rp1 03.0)
    JsonObject recorded = f.request(Addresses.GET, Fixture.name("old")).getJsonObject("pciLayout");
    assertThat(recorded.getJsonObject("devices").getMap()).isEqualTo(Map.of("r1", "pcie.0:01.0", "rp1",
        "pcie.0:02.0", "b1", "rp1:00.0"));
    assertThat(recorded.getJsonArray("ports")).isEmpty();
    assertThat(Files.exists(vm.resolve("pci.json"))).isTrue();

    f.request(Addresses.STOP, Fixture.name("old").put("graceSeconds", 0));
    f.request(Addresses.START, Fixture.name("old"));
    f.awaitState("old", "PAUSED", T);
    long pid = f.request(Addresses.GET, Fixture.name("old")).getLong("pid");
    assertThat(Fixture.cmdline(pid)).contains("virtio-rng-pci,id=r1,rng=r1.rng,bus=pcie.0,addr=01.0");
    for (String id : List.of("r1", "rp1", "b1")) {
      assertThat(address("old", id)).isEqualTo(recorded.getJsonObject("devices").getString(id));
    }
  }

  @Test
  void aStoredLayoutMissingADeviceIsCompletedBeforeTheStartKeepingTheOthers() throws Exception {
    f = supervisors.start();
    JsonObject created = f.request(Addresses.CREATE, spec("a", threeDevices())).getJsonObject("pciLayout");
    f.close();
    JsonObject partial = created.copy();
    partial.getJsonObject("devices").remove("rp1");
    Files.writeString(supervisors.dir().resolve("vms/a/pci.json"), partial.encodePrettily());
    f = supervisors.start();
    f.request(Addresses.START, Fixture.name("a"));
    f.awaitState("a", "PAUSED", T);
    JsonObject completed = f.request(Addresses.GET, Fixture.name("a")).getJsonObject("pciLayout");
    assertThat(completed.getJsonObject("devices").getMap()).isEqualTo(Map.of("r1", "pcie.0:02.0",
        "rp1", "pcie.0:03.0", "b1", "rp1:00.0"));
    assertThat(new JsonObject(Files.readString(supervisors.dir().resolve("vms/a/pci.json")))).isEqualTo(completed);
    assertThat(address("a", "rp1")).isEqualTo("pcie.0:03.0");
  }

  private static List<String> paths(ReplyException e) {
    return new JsonObject(e.getMessage()).getJsonArray("violations").stream()
        .map(v -> ((JsonObject) v).getString("path")).toList();
  }
}

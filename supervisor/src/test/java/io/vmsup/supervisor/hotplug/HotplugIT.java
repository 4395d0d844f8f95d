package io.vmsup.supervisor.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hot-plug through the event bus against a real q35 QEMU started with {@code -S} (no guest): what QEMU reports after
 * each attach, rollback of a failed plan, validation in the context of the VM's spec, the persisted spec.
 */
class HotplugIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;

  @BeforeEach
  void start() throws Exception {
    f = supervisors.start();
  }

  /** q35, paused, two free root ports, one spare vCPU slot and two DIMM slots. */
  static JsonObject q35(String name) {
    return new JsonObject().put("name", name)
        .put("smp", new JsonObject().put("cpus", 1).put("maxCpus", 2))
        .put("memory", new JsonObject().put("size", "256M").put("slots", 2).put("max", "1G"))
        .put("devices", new JsonArray()
            .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp1").put("chassis", 1).put("slot", 1))
            .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp2").put("chassis", 2).put("slot", 2)))
        .put("supervision", new JsonObject().put("startPaused", true));
  }

  private Path image(String name) throws Exception {
    Path p = supervisors.dir().resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
      raf.setLength(1 << 20);
    }
    return p;
  }

  private JsonObject disk(String id, Path file, String bus) {
    JsonObject d = new JsonObject().put("kind", "disk").put("id", id).put("file", file.toString());
    return bus == null ? d : d.put("bus", bus);
  }

  private JsonObject attach(String vm, JsonObject device) throws Exception {
    return f.request(Addresses.ATTACH, new JsonObject().put("name", vm).put("device", device));
  }

  private ReplyException attachFails(String vm, JsonObject device) throws Exception {
    return f.failure(Addresses.ATTACH, new JsonObject().put("name", vm).put("device", device));
  }

  private Object qmp(String vm, String command) throws Exception {
    return f.request(Addresses.QMP, new JsonObject().put("name", vm).put("execute", command)).getValue("return");
  }

  private List<String> nodeNames(String vm) throws Exception {
    return ((JsonArray) qmp(vm, "query-named-block-nodes")).stream()
        .map(o -> ((JsonObject) o).getString("node-name")).collect(Collectors.toList());
  }

  private JsonObject persisted(String vm) throws Exception {
    return new JsonObject(Files.readString(supervisors.dir().resolve("vms").resolve(vm).resolve("spec.json")));
  }

  private static List<String> ids(JsonObject spec) {
    return spec.getJsonArray("devices").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private void create(String vm) throws Exception {
    f.request(Addresses.CREATE, q35(vm));
    assertThat(f.request(Addresses.START, new JsonObject().put("name", vm)).getString("state")).isEqualTo("PAUSED");
  }

  @Test
  void attachedDiskIsInQemuAndInThePersistedSpec() throws Exception {
    create("h");
    Path img = image("d1.img");

    JsonObject r = attach("h", disk("d1", img, "rp1"));

    assertThat(r.getJsonArray("steps").getList()).containsExactly("blockdev-add", "device_add");
    assertThat(r.getBoolean("live")).isTrue();
    assertThat(nodeNames("h")).contains("d1.blk");
    JsonArray blocks = (JsonArray) qmp("h", "query-block");
    assertThat(blocks.stream().map(o -> ((JsonObject) o).getString("qdev")).toList())
        .anyMatch(q -> q != null && q.contains("/d1/"));
    assertThat(ids(persisted("h"))).containsExactly("rp1", "rp2", "d1");
    JsonObject view = f.request(Addresses.GET, new JsonObject().put("name", "h"));
    assertThat(ids(view.getJsonObject("spec"))).contains("d1");
  }

  @Test
  void aFailedDeviceAddRollsBackTheBlockdevAndLeavesTheSpecAlone() throws Exception {
    create("h");
    // a device QEMU has but the spec does not (added through the QMP pass-through) holds the id "d2":
    // blockdev-add d2.blk succeeds, device_add id=d2 fails with "Duplicate device ID"
    f.request(Addresses.QMP, new JsonObject().put("name", "h").put("execute", "device_add").put("arguments",
        new JsonObject().put("driver", "virtio-rng-pci").put("id", "d2").put("bus", "rp2")));
    ReplyException e = attachFails("h", disk("d2", image("d2.img"), "rp1"));

    assertThat(e.failureCode()).isEqualTo(500);
    JsonObject body = new JsonObject(e.getMessage());
    assertThat(body.getString("step")).isEqualTo("device_add");
    assertThat(body.getString("qmpClass")).isEqualTo("GenericError");
    assertThat(body.getJsonArray("rolledBack").getList()).containsExactly("blockdev-del");
    assertThat(body.getJsonArray("rollbackFailed").getList()).isEmpty();
    assertThat(body.getString("message")).contains("d2");
    assertThat(nodeNames("h")).doesNotContain("d2.blk");
    assertThat(ids(persisted("h"))).containsExactly("rp1", "rp2");
  }

  @Test
  void aMissingImageIsRejectedBeforeAnyQmpCommand() throws Exception {
    create("h");
    ReplyException e = attachFails("h", disk("d3", supervisors.dir().resolve("nope.img"), "rp1"));

    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(new JsonObject(e.getMessage()).getJsonArray("violations").getJsonObject(0).getString("path"))
        .startsWith("device");
    assertThat(nodeNames("h")).doesNotContain("d3.blk");
  }

  @Test
  void duplicateIdAndAnOccupiedRootPortAreAllReported() throws Exception {
    create("h");
    attach("h", disk("d1", image("d1.img"), "rp1"));

    ReplyException e = attachFails("h", disk("d1", image("d4.img"), "rp1"));

    assertThat(e.failureCode()).isEqualTo(400);
    JsonArray violations = new JsonObject(e.getMessage()).getJsonArray("violations");
    assertThat(violations.encode()).contains("duplicate id").contains("\"path\":\"device.id\"");
    assertThat(violations.size()).isGreaterThanOrEqualTo(2);
    assertThat(ids(persisted("h"))).containsExactly("rp1", "rp2", "d1");
  }

  @Test
  void vsockFailsClearlyWithoutVhostVsock() throws Exception {
    create("h");
    ReplyException e = attachFails("h", new JsonObject().put("kind", "vsock").put("id", "vs0").put("cid", 42)
        .put("bus", "rp2"));

    assertThat(e.failureCode()).isEqualTo(400);
    JsonObject violation = new JsonObject(e.getMessage()).getJsonArray("violations").getJsonObject(0);
    assertThat(violation.getString("path")).isEqualTo("device");
    assertThat(violation.getString("message")).contains("/dev/vhost-vsock");
    System.out.println("vsock attach on this host: " + violation.getString("message"));
  }

  @Test
  void cpuAndMemoryAttachShowInQemuAndTheSpec() throws Exception {
    create("h");

    JsonObject cpu = attach("h", new JsonObject().put("kind", "cpu"));
    assertThat(cpu.getString("id")).startsWith("vmsup-cpu-");
    assertThat((JsonArray) qmp("h", "query-cpus-fast")).hasSize(2);
    assertThat(persisted("h").getJsonObject("smp").getInteger("cpus")).isEqualTo(2);
    ReplyException full = attachFails("h", new JsonObject().put("kind", "cpu"));
    assertThat(full.failureCode()).as("smp.maxCpus reached").isEqualTo(400);

    attach("h", new JsonObject().put("kind", "memory-backend").put("id", "m1").put("size", "128M"));
    JsonObject dimm = attach("h", new JsonObject().put("kind", "dimm").put("id", "dimm1").put("memdev", "m1"));
    assertThat(dimm.getJsonArray("steps").getList()).containsExactly("device_add");
    JsonArray mem = (JsonArray) qmp("h", "query-memory-devices");
    assertThat(mem.encode()).contains("\"id\":\"dimm1\"").contains("134217728");
    assertThat(ids(persisted("h"))).containsExactly("rp1", "rp2", "m1", "dimm1");

    ReplyException inUse = f.failure(Addresses.DETACH, new JsonObject().put("name", "h").put("id", "m1"));
    assertThat(inUse.failureCode()).as("the dimm still uses m1").isEqualTo(400);
  }

  @Test
  void coldAttachOnlyEditsTheSpecAndTheNextStartHasTheDevice() throws Exception {
    f.request(Addresses.CREATE, q35("c"));
    JsonObject r = attach("c", disk("d1", image("d1.img"), "rp1"));
    assertThat(r.getBoolean("live")).isFalse();
    assertThat(ids(persisted("c"))).contains("d1");

    f.request(Addresses.START, new JsonObject().put("name", "c"));
    assertThat(nodeNames("c")).contains("d1.blk");
  }

  @Test
  void aHostProblemOfAnotherDeviceBlocksNeitherAttachNorItsOwnDetach() throws Exception {
    create("h");
    Path d1 = image("d1.img");
    attach("h", disk("d1", d1, "rp1"));
    Files.delete(d1);

    assertThat(attach("h", disk("d2", image("d2.img"), "rp2")).getBoolean("live")).isTrue();
    f.request(Addresses.KILL, new JsonObject().put("name", "h"));
    JsonObject r = f.request(Addresses.DETACH, new JsonObject().put("name", "h").put("id", "d1"));
    assertThat(r.getBoolean("live")).isFalse();
    assertThat(ids(persisted("h"))).containsExactly("rp1", "rp2", "d2");
  }

  @Test
  void detachWithoutAGuestTimesOutPendingAndKeepsTheDevice() throws Exception {
    create("h");
    attach("h", disk("d1", image("d1.img"), "rp1"));

    ReplyException e = f.failure(Addresses.DETACH, new JsonObject().put("name", "h").put("id", "d1")
        .put("timeoutSeconds", 1));

    assertThat(e.failureCode()).isEqualTo(503);
    assertThat(new JsonObject(e.getMessage()).getBoolean("pending")).isTrue();
    assertThat(ids(persisted("h"))).contains("d1");
    assertThat(f.failure(Addresses.DETACH, new JsonObject().put("name", "h").put("id", "zz")).failureCode())
        .isEqualTo(404);
  }
}

package io.vmsup.supervisor.image;

import static io.vmsup.supervisor.image.ClonesIT.qemuIo;
import static io.vmsup.supervisor.image.ClonesIT.withMarkedBase;
import static io.vmsup.supervisor.image.ManagedDisksIT.info;
import static io.vmsup.supervisor.image.ManagedDisksIT.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.image.impl.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A disk the daemon makes ({@code "image"} or {@code "size"}) attached to an existing VM: made at the attach (into
 * the spec of a stopped VM; live into a running QEMU, which opens the overlay), removed at the detach; bad ones fail
 * with their JSON path and leave no file; a disk an attach cut short (not in the spec) is removed at the next start.
 */
class AttachDisksIT {

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  private static JsonObject attach(String vm, JsonObject disk) {
    return new JsonObject().put("name", vm).put("device", disk.copy().put("kind", "disk"));
  }

  @Test
  void aDiskFromAnImageIsMadeAtAttachAndRemovedAtDetach() throws Exception {
    Fixture f = withMarkedBase(sup.start(), sup.dir(), "4M");
    f.request(Addresses.CREATE, vm("v", new JsonObject().put("id", "d0").put("size", "1M")));
    Path disks = sup.dir().resolve("vms/v/disks");

    // stopped: into the spec, the overlay made now
    JsonObject done = f.request(Addresses.ATTACH, attach("v", new JsonObject().put("id", "d1").put("image", "base")
        .put("size", "8M")));
    assertThat(done.getBoolean("live")).isFalse();
    assertThat(info(disks.resolve("d1.qcow2")).getString("backing-filename"))
        .isEqualTo(sup.dir().resolve("images/base/disk").toString());
    assertThat(info(disks.resolve("d1.qcow2")).getLong("virtual-size")).isEqualTo(8L << 20);
    assertThat(qemuIo(disks.resolve("d1.qcow2"), "read -v 0 32")).contains("BASE.IMAGE.MARKE");
    assertThat(f.request(Addresses.GET, Fixture.name("v")).getJsonObject("spec").getJsonArray("devices")
        .getJsonObject(1).getString("image")).isEqualTo("base");
    assertThat(new JsonObject(f.failure(Addresses.IMAGE_DELETE, Fixture.name("base")).getMessage())
        .getJsonArray("usedBy").getList()).containsExactly("v");
    assertThat(ClonesIT.argv(f, "v")).contains("file.filename=" + disks.resolve("d1.qcow2"));

    // running: QEMU (under its own uid when the daemon confines it) opens the overlay made at the attach and the image
    f.request(Addresses.START, Fixture.name("v"));
    JsonObject live = f.request(Addresses.ATTACH, attach("v", new JsonObject().put("id", "d2").put("image", "base")));
    assertThat(live.getBoolean("live")).isTrue();
    String nodes = f.request(Addresses.QMP, Fixture.name("v").put("execute", "query-named-block-nodes")).encode();
    assertThat(nodes).contains(disks.resolve("d2.qcow2").toString()).contains(disks.resolve("d1.qcow2").toString());
    f.request(Addresses.KILL, Fixture.name("v"));

    // detached: the disk and its record go, and the image is free
    f.request(Addresses.DETACH, Fixture.name("v").put("id", "d1"));
    f.request(Addresses.DETACH, Fixture.name("v").put("id", "d2"));
    try (var left = Files.list(disks)) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("d0.json", "d0.qcow2");
    }
    f.request(Addresses.IMAGE_DELETE, Fixture.name("base"));
  }

  @Test
  void badAttachesLeaveNoFileAndCutShortOnesAreRemovedAtStart() throws Exception {
    Fixture f = withMarkedBase(sup.start(), sup.dir(), "4M");
    JsonObject spec0 = vm("v", new JsonObject().put("id", "d0").put("size", "1M"));
    spec0.getJsonArray("devices")
        .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp1").put("chassis", 1).put("slot", 1))
        .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp2").put("chassis", 2).put("slot", 2));
    f.request(Addresses.CREATE, spec0);
    Path disks = sup.dir().resolve("vms/v/disks");
    String spec = Files.readString(sup.dir().resolve("vms/v/spec.json"));

    ReplyException unknown = f.failure(Addresses.ATTACH, attach("v", new JsonObject().put("id", "d1")
        .put("image", "nosuch")));
    assertThat(unknown.failureCode()).isEqualTo(400);
    assertThat(new JsonObject(unknown.getMessage()).getJsonArray("violations").getJsonObject(0).getString("path"))
        .isEqualTo("device.image");
    ReplyException small = f.failure(Addresses.ATTACH, attach("v", new JsonObject().put("id", "d1")
        .put("image", "base").put("size", "1M")));
    assertThat(new JsonObject(small.getMessage()).getJsonArray("violations").getJsonObject(0).getString("path"))
        .isEqualTo("device.size");
    ReplyException taken = f.failure(Addresses.ATTACH, attach("v", new JsonObject().put("id", "d0")
        .put("size", "1M")));
    assertThat(taken.failureCode()).isEqualTo(400);
    assertThat(info(disks.resolve("d0.qcow2")).getLong("virtual-size")).as("the existing d0 untouched")
        .isEqualTo(1L << 20);
    // a live attach QEMU refuses (a device added through the pass-through holds the id: device_add fails after
    // blockdev-add opened the overlay): the overlay made for it is removed again
    f.request(Addresses.START, Fixture.name("v"));
    f.request(Addresses.QMP, Fixture.name("v").put("execute", "device_add").put("arguments", new JsonObject()
        .put("driver", "virtio-rng-pci").put("id", "d3").put("bus", "rp2")));
    ReplyException refused = f.failure(Addresses.ATTACH, attach("v", new JsonObject().put("id", "d3")
        .put("image", "base").put("bus", "rp1")));
    assertThat(refused.failureCode()).as(refused.getMessage()).isEqualTo(500);
    assertThat(new JsonObject(refused.getMessage()).getString("step")).as(refused.getMessage()).isEqualTo("device_add");
    f.request(Addresses.KILL, Fixture.name("v"));
    assertThat(Files.readString(sup.dir().resolve("vms/v/spec.json"))).isEqualTo(spec);
    try (var left = Files.list(disks)) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("d0.json", "d0.qcow2");
    }

    // an attach cut short by a crash: its disk is there, the spec does not name it; the next start removes it
    Files.copy(disks.resolve("d0.qcow2"), disks.resolve("d5.qcow2"));
    Files.writeString(disks.resolve("d5.json"), new JsonObject().put("id", "d5").put("image", "base").encode());
    assertThat(new ImageFiles(sup.dir()).users("base")).containsExactly("v");
    new ImageFiles(sup.dir()).init();
    assertThat(new ImageFiles(sup.dir()).users("base")).isEmpty();
    try (var left = Files.list(disks)) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(List.of("d0.json",
          "d0.qcow2"));
    }
  }
}

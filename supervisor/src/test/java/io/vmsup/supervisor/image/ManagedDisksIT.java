package io.vmsup.supervisor.image;

import static io.vmsup.supervisor.image.ImageStoreIT.qemuImg;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Disks the daemon makes at create ({@code image} or {@code size} instead of {@code file}), without a guest: the
 * overlay over the image, the argv naming it, the spec keeping the intent, delete removing it, and bad input (unknown
 * image, too small a size, a full store) failing with the disk's JSON path and nothing half-made.
 */
class ManagedDisksIT {

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  static JsonObject vm(String name, JsonObject... disks) {
    JsonArray devices = new JsonArray();
    for (JsonObject d : disks) {
      devices.add(d.copy().put("kind", "disk"));
    }
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "q35"))
        .put("devices", devices);
  }

  static JsonObject info(Path file) throws Exception {
    Process p = new ProcessBuilder("qemu-img", "info", "-U", "--output=json", file.toString()).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isZero();
    return new JsonObject(out);
  }

  private static Fixture withBase(SupervisorExtension sup, Fixture f, String size) throws Exception {
    Path raw = Files.createDirectories(f.supervisor.options().stateDir().resolve("src")).resolve("base.raw");
    qemuImg("create", "-q", "-f", "raw", raw.toString(), size);
    f.request(Addresses.IMAGE_IMPORT, new JsonObject().put("name", "base").put("path", raw.toString())
        .put("format", "raw"));
    return f;
  }

  @Test
  void overlayAndEmptyDiskAreMadeRenderedAndRemovedWithTheVm() throws Exception {
    Fixture f = withBase(sup, sup.start(), "4M");
    JsonObject view = f.request(Addresses.CREATE, vm("v1", new JsonObject().put("id", "d0").put("image", "base")
        .put("size", "8M"), new JsonObject().put("id", "d1").put("size", "16M")));
    Path vmDir = sup.dir().resolve("vms/v1");
    JsonObject overlay = info(vmDir.resolve("disks/d0.qcow2"));
    assertThat(overlay.getString("format")).isEqualTo("qcow2");
    assertThat(overlay.getLong("virtual-size")).isEqualTo(8L << 20);
    assertThat(overlay.getString("backing-filename")).isEqualTo(sup.dir().resolve("images/base/disk").toString());
    assertThat(overlay.getString("backing-filename-format")).isEqualTo("raw");
    JsonObject empty = info(vmDir.resolve("disks/d1.qcow2"));
    assertThat(empty.getLong("virtual-size")).isEqualTo(16L << 20);
    assertThat(empty.containsKey("backing-filename")).isFalse();

    // the spec keeps the intent; the argv names the overlay
    assertThat(view.getJsonObject("spec").getJsonArray("devices").getJsonObject(0).getString("image"))
        .isEqualTo("base");
    List<Object> argv = f.request(Addresses.RENDER, new JsonObject().put("name", "v1")).getJsonArray("argv").getList();
    assertThat(argv.stream().map(String::valueOf).filter(a -> a.contains("d0.blk")).findFirst().orElseThrow())
        .contains("file.filename=" + vmDir.resolve("disks/d0.qcow2")).contains("driver=qcow2");

    ReplyException inUse = f.failure(Addresses.IMAGE_DELETE, new JsonObject().put("name", "base"));
    assertThat(inUse.failureCode()).isEqualTo(409);
    assertThat(new JsonObject(inUse.getMessage()).getJsonArray("usedBy").getList()).containsExactly("v1");
    assertThat(f.request(Addresses.IMAGE_GET, new JsonObject().put("name", "base")).getJsonArray("usedBy")
        .getList()).containsExactly("v1");

    ReplyException attach = f.failure(Addresses.ATTACH, new JsonObject().put("name", "v1").put("device",
        new JsonObject().put("kind", "disk").put("id", "d9").put("image", "nosuch")));
    assertThat(attach.failureCode()).isEqualTo(400);
    assertThat(attach.getMessage()).contains("device.image");
    assertThat(Files.readString(vmDir.resolve("spec.json"))).doesNotContain("d9");
    assertThat(vmDir.resolve("disks/d9.json")).doesNotExist();

    f.request(Addresses.DELETE, new JsonObject().put("name", "v1"));
    assertThat(vmDir).doesNotExist();
    f.request(Addresses.IMAGE_DELETE, new JsonObject().put("name", "base"));
  }

  @Test
  void deleteKeepingDisksMovesThemAsideAndTheImageStaysInUse() throws Exception {
    Fixture f = withBase(sup, sup.start(), "4M");
    f.request(Addresses.CREATE, vm("v3", new JsonObject().put("id", "d0").put("image", "base")));
    assertThat(f.failure(Addresses.DELETE, new JsonObject().put("name", "v3").put("keepDisks", "yes"))
        .failureCode()).isEqualTo(400);
    assertThat(sup.dir().resolve("vms/v3/disks/d0.qcow2")).exists();

    JsonObject done = f.request(Addresses.DELETE, new JsonObject().put("name", "v3").put("keepDisks", true));
    Path kept = Path.of(done.getString("keptDisks"));
    assertThat(kept.getParent()).isEqualTo(sup.dir().resolve("kept"));
    assertThat(info(kept.resolve("d0.qcow2")).getString("backing-filename")).endsWith("images/base/disk");
    assertThat(sup.dir().resolve("vms/v3")).doesNotExist();
    ReplyException inUse = f.failure(Addresses.IMAGE_DELETE, new JsonObject().put("name", "base"));
    assertThat(new JsonObject(inUse.getMessage()).getJsonArray("usedBy").getList())
        .containsExactly("kept/" + kept.getFileName());
  }

  @Test
  void badDisksFailWithTheirJsonPathAndLeaveNothing() throws Exception {
    Fixture f = withBase(sup, sup.start(), "4M");
    f.request(Addresses.CREATE, vm("keep", new JsonObject().put("id", "d0").put("image", "base")));
    Path kept = sup.dir().resolve("vms/keep/disks/d0.qcow2");
    byte[] before = Files.readAllBytes(kept);

    assertInvalid(f, vm("v2", new JsonObject().put("id", "d0").put("size", "1M"),
        new JsonObject().put("id", "d1").put("image", "nosuch")), "devices[1].image", "no image named \"nosuch\"");
    assertInvalid(f, vm("v2", new JsonObject().put("id", "d0").put("image", "base").put("size", "1M")),
        "devices[0].size", "smaller than image \"base\"");
    assertInvalid(f, vm("v2", new JsonObject().put("id", "d0").put("image", "base").put("file", "/var/lib/x")),
        "devices[0].file", "not with \"image\"");
    assertInvalid(f, vm("v2", new JsonObject().put("id", "d0").put("image", "../base")), "devices[0].image",
        "name of an image");
    assertInvalid(f, vm("v2", new JsonObject().put("id", "d0").put("size", 0)), "devices[0].size", "more than 0");
    assertInvalid(f, vm("v2", new JsonObject().put("id", "d0").put("size", "1M").put("format", "raw")),
        "devices[0].format", "qcow2");
    assertInvalid(f, vm("v2", new JsonObject().put("id", "d0").put("file", sup.dir().resolve("images/base/disk")
        .toString())), "devices[0].file", "");

    assertThat(sup.dir().resolve("vms/v2")).doesNotExist();
    assertThat(f.failure(Addresses.GET, new JsonObject().put("name", "v2")).failureCode()).isEqualTo(404);
    assertThat(Files.readAllBytes(kept)).isEqualTo(before);
    assertThat(f.request(Addresses.GET, new JsonObject().put("name", "keep")).getString("state")).isEqualTo("DEFINED");
  }

  @Test
  void aFullStoreFails507AndLeavesNothingWhileOtherVmsStayWhole() throws Exception {
    Path mnt = Files.createTempDirectory("vmsup-full-");
    run("mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", mnt.toString());
    Fixture f = null;
    try {
      f = withBase(sup, Fixture.start(Fixture.options(mnt)), "2M");
      f.request(Addresses.CREATE, vm("keep", new JsonObject().put("id", "d0").put("image", "base")));
      Path src = Files.write(mnt.resolve("src/more.raw"), new byte[1 << 20]);
      Path filler = mnt.resolve("filler");
      try (var out = Files.newOutputStream(filler)) {
        byte[] chunk = new byte[64 << 10];
        while (true) {
          out.write(chunk);
        }
      } catch (java.io.IOException full) {
        assertThat(full.getMessage()).contains("No space");
      }

      ReplyException e = f.failure(Addresses.CREATE, vm("v2", new JsonObject().put("id", "d0").put("image", "base")));
      assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(507);
      assertThat(mnt.resolve("vms/v2")).doesNotExist();
      ReplyException i = f.failure(Addresses.IMAGE_IMPORT, new JsonObject().put("name", "more")
          .put("path", src.toString()).put("format", "raw"));
      assertThat(i.failureCode()).as(i.getMessage()).isEqualTo(507);
      try (var list = Files.list(mnt.resolve("images"))) {
        assertThat(list.map(p -> p.getFileName().toString()).toList()).containsExactly("base");
      }
      assertThat(info(mnt.resolve("vms/keep/disks/d0.qcow2")).getString("backing-filename")).endsWith("base/disk");
      assertThat(f.request(Addresses.GET, new JsonObject().put("name", "keep")).getString("state"))
          .isEqualTo("DEFINED");

      Files.delete(filler);
      f.request(Addresses.CREATE, vm("v2", new JsonObject().put("id", "d0").put("image", "base")));
      assertThat(mnt.resolve("vms/v2/disks/d0.qcow2")).exists();
    } finally {
      if (f != null) {
        f.close();
      }
      run("umount", mnt.toString());
      Files.delete(mnt);
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  static void assertInvalid(Fixture f, JsonObject spec, String path, String says) throws Exception {
    ReplyException e = f.failure(Addresses.CREATE, spec);
    assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(400);
    JsonArray violations = new JsonObject(e.getMessage()).getJsonArray("violations");
    assertThat(violations.stream().map(JsonObject.class::cast)
        .anyMatch(v -> v.getString("path").equals(path) && v.getString("message").contains(says)))
        .as(e.getMessage()).isTrue();
  }
}

package io.vmsup.supervisor.image;

import static io.vmsup.supervisor.image.ClonesIT.argv;
import static io.vmsup.supervisor.image.ClonesIT.qemuIo;
import static io.vmsup.supervisor.image.ClonesIT.source;
import static io.vmsup.supervisor.image.ClonesIT.withMarkedBase;
import static io.vmsup.supervisor.image.ImageStoreIT.qemuImg;
import static io.vmsup.supervisor.image.ManagedDisksIT.info;
import static io.vmsup.supervisor.image.ManagedDisksIT.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code vmsup.vm.clone {"linked": true}} without a guest: the source's disks become read-only frozen images of the
 * store, the source and the clone each overlay them (the frozen file is never written again), each keeps its own
 * writes; a frozen image (and the image below it) cannot be deleted while an overlay uses it; hostile requests leave
 * the source as it was and freeze nothing.
 */
class LinkedClonesIT {

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  @Test
  void aLinkedCloneFreezesTheSourceDisksAndBothOverlayThem() throws Exception {
    Fixture f = withMarkedBase(sup.start(), sup.dir(), "4M");
    f.request(Addresses.CREATE, source("src"));
    Path srcDisks = sup.dir().resolve("vms/src/disks");
    qemuIo(srcDisks.resolve("d0.qcow2"), "write -P 0x5a 1M 64k");
    qemuIo(srcDisks.resolve("d1.qcow2"), "write -P 0x33 0 64k");

    JsonObject view = f.request(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "copy")
        .put("linked", true));
    assertThat(view.getString("name")).isEqualTo("copy");
    assertThat(view.getString("state")).isEqualTo("DEFINED");

    JsonArray images = f.request(Addresses.IMAGE_LIST, new JsonObject()).getJsonArray("images");
    assertThat(images.size()).isEqualTo(3);
    JsonObject d0 = frozen(images, "d0");
    JsonObject d1 = frozen(images, "d1");
    assertThat(d0.getString("name")).startsWith("src.d0-");
    assertThat(d0.getString("image")).isEqualTo("base");
    assertThat(d1.getString("image")).isNull();
    assertThat(d0.getValue("pending")).isNull();
    Path base0 = sup.dir().resolve("images").resolve(d0.getString("name")).resolve("disk");
    Path base1 = sup.dir().resolve("images").resolve(d1.getString("name")).resolve("disk");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(base0))).isEqualTo("r--------");
    assertThat(info(base0).getString("backing-filename")).isEqualTo(sup.dir().resolve("images/base/disk").toString());

    Path copyDisks = sup.dir().resolve("vms/copy/disks");
    for (Path dir : List.of(srcDisks, copyDisks)) {
      assertThat(info(dir.resolve("d0.qcow2")).getString("backing-filename")).isEqualTo(base0.toString());
      assertThat(info(dir.resolve("d1.qcow2")).getString("backing-filename")).isEqualTo(base1.toString());
      assertThat(info(dir.resolve("d0.qcow2")).getLong("virtual-size")).isEqualTo(8L << 20);
      assertThat(qemuIo(dir.resolve("d0.qcow2"), "read -v 0 32")).contains("BASE.IMAGE.MARKE");
      qemuIo(dir.resolve("d0.qcow2"), "read -P 0x5a 1M 64k");
      qemuIo(dir.resolve("d1.qcow2"), "read -P 0x33 0 64k");
    }
    assertThat(Files.isSameFile(srcDisks.resolve("d0.qcow2"), base0)).isFalse();
    byte[] frozenBytes = Files.readAllBytes(base0);
    // each keeps its own writes; the frozen file is not written
    qemuIo(copyDisks.resolve("d0.qcow2"), "write -P 0x77 2M 64k");
    qemuIo(srcDisks.resolve("d0.qcow2"), "write -P 0x66 3M 64k");
    qemuIo(srcDisks.resolve("d0.qcow2"), "read -P 0 2M 64k");
    qemuIo(copyDisks.resolve("d0.qcow2"), "read -P 0 3M 64k");
    assertThat(Files.readAllBytes(base0)).isEqualTo(frozenBytes);

    assertThat(argv(f, "copy")).contains(copyDisks.resolve("d0.qcow2").toString())
        .doesNotContain(srcDisks.toString()).doesNotContain("52:54:00:aa:bb:cc")
        .doesNotContain("12345678-1234-1234-1234-123456789abc");
    assertThat(argv(f, "src")).contains(srcDisks.resolve("d0.qcow2").toString());

    // the delete rules: a frozen image while overlays use it, the image below it while the frozen one exists
    ReplyException inUse = f.failure(Addresses.IMAGE_DELETE, new JsonObject().put("name", d0.getString("name")));
    assertThat(inUse.failureCode()).isEqualTo(409);
    assertThat(new JsonObject(inUse.getMessage()).getJsonArray("usedBy").getList()).containsExactly("copy", "src");
    ReplyException below = f.failure(Addresses.IMAGE_DELETE, new JsonObject().put("name", "base"));
    assertThat(new JsonObject(below.getMessage()).getJsonArray("usedBy").getList())
        .containsExactlyInAnyOrder("copy", "src", "image/" + d0.getString("name"));
    f.request(Addresses.DELETE, new JsonObject().put("name", "copy"));
    qemuIo(srcDisks.resolve("d0.qcow2"), "read -P 0x5a 1M 64k");
    f.request(Addresses.DELETE, new JsonObject().put("name", "src"));
    assertThat(f.failure(Addresses.IMAGE_DELETE, new JsonObject().put("name", "base")).failureCode()).isEqualTo(409);
    f.request(Addresses.IMAGE_DELETE, new JsonObject().put("name", d0.getString("name")));
    f.request(Addresses.IMAGE_DELETE, new JsonObject().put("name", "base"));
  }

  @Test
  void aCloneOfALinkedCloneAndAVmFromAFrozenImageWork() throws Exception {
    Fixture f = withMarkedBase(sup.start(), sup.dir(), "4M");
    f.request(Addresses.CREATE, vm("src", new JsonObject().put("id", "d0").put("image", "base")));
    qemuIo(sup.dir().resolve("vms/src/disks/d0.qcow2"), "write -P 0x5a 1M 64k");
    f.request(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "a").put("linked", true));
    qemuIo(sup.dir().resolve("vms/a/disks/d0.qcow2"), "write -P 0x11 2M 64k");
    // linked again from the clone (a chain of three), and a full copy of it
    f.request(Addresses.CLONE, new JsonObject().put("name", "a").put("as", "b").put("linked", true));
    f.request(Addresses.CLONE, new JsonObject().put("name", "a").put("as", "c"));
    for (String vm : List.of("a", "b", "c")) {
      Path d = sup.dir().resolve("vms").resolve(vm).resolve("disks/d0.qcow2");
      qemuIo(d, "read -P 0x5a 1M 64k");
      qemuIo(d, "read -P 0x11 2M 64k");
      assertThat(qemuIo(d, "read -v 0 32")).contains("BASE.IMAGE.MARKE");
    }
    qemuIo(sup.dir().resolve("vms/src/disks/d0.qcow2"), "read -P 0 2M 64k");
  }

  @Test
  void hostileLinkedClonesFreezeNothing() throws Exception {
    Fixture f = withMarkedBase(sup.start(), sup.dir(), "4M");
    f.request(Addresses.CREATE, source("src"));
    f.request(Addresses.CREATE, vm("other", new JsonObject().put("id", "d0").put("size", "1M")));
    byte[] before = Files.readAllBytes(sup.dir().resolve("vms/src/disks/d0.qcow2"));
    String record = Files.readString(sup.dir().resolve("vms/src/disks/d0.json"));

    ReplyException notBoolean = f.failure(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "x")
        .put("linked", "yes"));
    assertThat(notBoolean.failureCode()).isEqualTo(400);
    assertThat(new JsonObject(notBoolean.getMessage()).getJsonArray("violations").getJsonObject(0)
        .getString("path")).isEqualTo("linked");
    assertThat(f.failure(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "other")
        .put("linked", true)).failureCode()).isEqualTo(409);
    assertThat(f.failure(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "../x")
        .put("linked", true)).failureCode()).isEqualTo(400);

    Path hostDisk = Files.createDirectories(sup.dir().resolve("src")).resolve("host.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", hostDisk.toString(), "1M");
    f.request(Addresses.CREATE, vm("withfile", new JsonObject().put("id", "h0").put("file", hostDisk.toString())
        .put("format", "qcow2"), new JsonObject().put("id", "d0").put("size", "1M")));
    assertThat(f.failure(Addresses.CLONE, new JsonObject().put("name", "withfile").put("as", "x")
        .put("linked", true)).failureCode()).isEqualTo(409);

    f.request(Addresses.START, new JsonObject().put("name", "other"));
    ReplyException running = f.failure(Addresses.CLONE, new JsonObject().put("name", "other").put("as", "x")
        .put("linked", true));
    assertThat(running.failureCode()).isEqualTo(409);
    f.request(Addresses.KILL, new JsonObject().put("name", "other"));

    assertThat(f.request(Addresses.IMAGE_LIST, new JsonObject()).getJsonArray("images").size()).isEqualTo(1);
    assertThat(sup.dir().resolve("vms/x")).doesNotExist();
    assertThat(Files.readAllBytes(sup.dir().resolve("vms/src/disks/d0.qcow2"))).isEqualTo(before);
    assertThat(Files.readString(sup.dir().resolve("vms/src/disks/d0.json"))).isEqualTo(record);
    try (var left = Files.list(sup.dir().resolve("vms/src/disks"))) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("d0.json", "d0.qcow2", "d1.json", "d1.qcow2");
    }
  }

  @Test
  void aLinkedCloneThatDoesNotFitFails507AndLeavesTheSourceAsItWas() throws Exception {
    Path mnt = Files.createTempDirectory("vmsup-linked-full-");
    run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", mnt.toString());
    Fixture f = null;
    try {
      f = withMarkedBase(Fixture.start(Fixture.options(mnt)), mnt, "1M");
      f.request(Addresses.CREATE, vm("src", new JsonObject().put("id", "d0").put("image", "base").put("size", "8M"),
          new JsonObject().put("id", "d1").put("size", "4M")));
      Path disks = mnt.resolve("vms/src/disks");
      qemuIo(disks.resolve("d0.qcow2"), "write -P 0x5a 1M 64k");
      String record = Files.readString(disks.resolve("d0.json"));
      Object inode = Files.readAttributes(disks.resolve("d0.qcow2"), "unix:ino").get("ino");
      long free = Files.getFileStore(mnt).getUsableSpace();
      Files.write(mnt.resolve("filler"), new byte[(int) Math.max(0, free - (64 << 10))]);

      ReplyException e = f.failure(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "copy")
          .put("linked", true));
      assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(507);
      assertThat(mnt.resolve("vms/copy")).doesNotExist();
      assertThat(f.request(Addresses.IMAGE_LIST, new JsonObject()).getJsonArray("images").size()).isEqualTo(1);
      assertThat(Files.readAttributes(disks.resolve("d0.qcow2"), "unix:ino").get("ino")).isEqualTo(inode);
      assertThat(Files.readString(disks.resolve("d0.json"))).isEqualTo(record);
      try (var left = Files.list(disks)) {
        assertThat(left.map(p -> p.getFileName().toString()).sorted().toList())
            .containsExactly("d0.json", "d0.qcow2", "d1.json", "d1.qcow2");
      }
      Files.delete(mnt.resolve("filler"));
      qemuIo(disks.resolve("d0.qcow2"), "read -P 0x5a 1M 64k");
      f.request(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "copy").put("linked", true));
      qemuIo(mnt.resolve("vms/copy/disks/d0.qcow2"), "read -P 0x5a 1M 64k");
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

  private static JsonObject frozen(JsonArray images, String disk) {
    return images.stream().map(JsonObject.class::cast).filter(i -> i.getJsonObject("frozenFrom") != null
        && disk.equals(i.getJsonObject("frozenFrom").getString("disk"))).findFirst().orElseThrow();
  }
}

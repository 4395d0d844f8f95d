package io.vmsup.supervisor.image.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash states of a linked clone's freeze, each left on real files as a crash would leave it and then handed to
 * {@link Freezer#recover} (what the daemon's next start runs): before the clone's spec exists the source is back as it
 * was (its disk, its record) and nothing of the freeze or the clone is left; once the clone's spec exists the freeze is
 * finished, also when the swap of the source's disk had already happened.
 */
class FreezerIT {

  @TempDir
  Path state;

  private Freezer freezer;
  private ImageFiles files;
  private Path srcDisk;
  private String oldRecord;

  private void setUp() throws Exception {
    files = new ImageFiles(state);
    files.init();
    QemuImg qemuImg = new QemuImg("qemu-img");
    freezer = new Freezer(files, qemuImg, state);
    Path disks = Files.createDirectories(state.resolve("vms/src/disks"));
    // the VM's spec names its made disk (the next start removes made disks a spec does not name)
    Files.writeString(state.resolve("vms/src/spec.json"), new JsonObject().put("devices", new JsonArray()
        .add(new JsonObject().put("kind", "disk").put("id", "d0").put("size", 4 << 20))).encode());
    srcDisk = disks.resolve("d0.qcow2");
    qemuImg.create(srcDisk, "qcow2", 4 << 20);
    oldRecord = new JsonObject().put("id", "d0").put("format", "qcow2").put("size", 4 << 20).encodePrettily();
    Files.writeString(disks.resolve("d0.json"), oldRecord);
    io("write -P 0x5a 1M 64k", srcDisk);
  }

  private JsonArray prepare() throws Exception {
    return freezer.prepare("src", "copy", new JsonArray().add(new JsonObject().put("id", "d0")))
        .getJsonArray("images");
  }

  @Test
  void aFreezeCutShortBeforeTheClonesSpecIsUndone() throws Exception {
    setUp();
    Object inode = Files.readAttributes(srcDisk, "unix:ino").get("ino");
    String name = prepare().getString(0);
    assertThat(Files.isSameFile(files.file(name), srcDisk)).isTrue();

    new Freezer(files, new QemuImg("qemu-img"), state).recover();
    files.init();
    assertThat(files.list().size()).isZero();
    assertThat(state.resolve("vms/copy")).doesNotExist();
    assertThat(Files.readAttributes(srcDisk, "unix:ino").get("ino")).isEqualTo(inode);
    assertThat(Files.readString(srcDisk.resolveSibling("d0.json"))).isEqualTo(oldRecord);
    try (var left = Files.list(srcDisk.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("d0.json", "d0.qcow2");
    }
    io("read -P 0x5a 1M 64k", srcDisk);
  }

  @Test
  void aFreezeCutShortAfterTheClonesSpecIsFinished() throws Exception {
    setUp();
    String name = prepare().getString(0);
    Files.writeString(state.resolve("vms/copy/spec.json"), "{}");

    new Freezer(files, new QemuImg("qemu-img"), state).recover();
    assertFinished(name);
  }

  @Test
  void aCommitCutShortAfterTheSwapIsFinished() throws Exception {
    setUp();
    String name = prepare().getString(0);
    Files.writeString(state.resolve("vms/copy/spec.json"), "{}");
    Files.move(srcDisk.resolveSibling(".d0.frozen.qcow2"), srcDisk, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);

    new Freezer(files, new QemuImg("qemu-img"), state).recover();
    assertFinished(name);
  }

  private void assertFinished(String name) throws Exception {
    JsonObject record = files.record(name);
    assertThat(record.getValue("pending")).isNull();
    assertThat(record.getJsonObject("frozenFrom").getString("vm")).isEqualTo("src");
    Path base = files.file(name);
    assertThat(Files.isSameFile(base, srcDisk)).isFalse();
    for (String vm : List.of("src", "copy")) {
      Path disk = state.resolve("vms").resolve(vm).resolve("disks/d0.qcow2");
      assertThat(new JsonObject(Files.readString(disk.resolveSibling("d0.json"))).getString("image")).isEqualTo(name);
      assertThat(new QemuImg("qemu-img").info(disk, "qcow2").getString("backing-filename"))
          .isEqualTo(base.toString());
      io("read -P 0x5a 1M 64k", disk);
    }
    assertThat(files.users(name)).containsExactly("copy", "src");
    try (var left = Files.list(srcDisk.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("d0.json", "d0.qcow2");
    }
  }

  private static void io(String command, Path disk) throws Exception {
    Process p = new ProcessBuilder("qemu-io", "-f", "qcow2", "-c", command, disk.toString()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(command + ": " + out).isZero();
    assertThat(out).doesNotContain("Pattern verification failed");
  }
}

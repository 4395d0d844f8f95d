package io.vmsup.supervisor.image;

import static io.vmsup.supervisor.image.ImageStoreIT.qemuImg;
import static io.vmsup.supervisor.image.ManagedDisksIT.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code vmsup.vm.clone} without a guest: the clone's disks are copies (an overlay over the same image holding the
 * source's own writes, independent of the source afterwards), its identity is new (MACs, UUID), progress is published;
 * hostile requests (bad or taken names, a running source, a writable host file disk) and a full store fail clearly
 * with nothing of the clone left and the source untouched.
 */
class ClonesIT {

  private static final String MARK = "BASE-IMAGE-MARKER";

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  static Fixture withMarkedBase(Fixture f, Path state, String size) throws Exception {
    Path raw = Files.createDirectories(state.resolve("src")).resolve("base.raw");
    qemuImg("create", "-q", "-f", "raw", raw.toString(), size);
    try (var ch = Files.newByteChannel(raw, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(MARK.getBytes(StandardCharsets.US_ASCII)));
    }
    f.request(Addresses.IMAGE_IMPORT, new JsonObject().put("name", "base").put("path", raw.toString())
        .put("format", "raw"));
    return f;
  }

  static JsonObject source(String name) {
    JsonObject spec = vm(name, new JsonObject().put("id", "d0").put("image", "base").put("size", "8M"),
        new JsonObject().put("id", "d1").put("size", "4M")).put("uuid", "12345678-1234-1234-1234-123456789abc");
    spec.getJsonArray("devices").add(new JsonObject().put("kind", "nic").put("id", "n0").put("backend", "user")
        .put("mac", "52:54:00:aa:bb:cc"));
    return spec;
  }

  /** qemu-io on a disk: {@code write -P}/{@code read -P} a pattern; the exit code and output tell. */
  static String qemuIo(Path disk, String command) throws Exception {
    Process p = new ProcessBuilder("qemu-io", "-f", "qcow2", "-c", command, disk.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(command + ": " + out).isZero();
    return out;
  }

  static String argv(Fixture f, String vm) throws Exception {
    return String.join("\n", f.request(Addresses.RENDER, new JsonObject().put("name", vm)).getJsonArray("argv")
        .stream().map(String::valueOf).toList());
  }

  @Test
  void aCloneHasCopiesOfTheDisksAndANewIdentity() throws Exception {
    Fixture f = withMarkedBase(sup.start(), sup.dir(), "4M");
    f.request(Addresses.CREATE, source("src"));
    Path srcDisks = sup.dir().resolve("vms/src/disks");
    qemuIo(srcDisks.resolve("d0.qcow2"), "write -P 0x5a 1M 64k"); // the source's own write

    JsonObject view = f.request(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "copy"));
    assertThat(view.getString("name")).isEqualTo("copy");
    assertThat(view.getString("state")).isEqualTo("DEFINED");
    JsonObject progress = f.awaitEvent(e -> "clone-progress".equals(e.getString("type"))
        && "d0".equals(e.getString("disk")) && e.getDouble("percent") == 100.0, Duration.ofSeconds(10));
    assertThat(progress.getString("vm")).isEqualTo("copy");
    assertThat(progress.getString("from")).isEqualTo("src");

    Path disks = sup.dir().resolve("vms/copy/disks");
    JsonObject info = ManagedDisksIT.info(disks.resolve("d0.qcow2"));
    assertThat(info.getString("backing-filename")).isEqualTo(sup.dir().resolve("images/base/disk").toString());
    assertThat(info.getLong("virtual-size")).isEqualTo(8L << 20);
    assertThat(ManagedDisksIT.info(disks.resolve("d1.qcow2")).getLong("virtual-size")).isEqualTo(4L << 20);
    // the base's marker through the overlay, the source's write copied
    assertThat(qemuIo(disks.resolve("d0.qcow2"), "read -v 0 32")).contains("BASE.IMAGE.MARKE");
    qemuIo(disks.resolve("d0.qcow2"), "read -P 0x5a 1M 64k");
    // independent afterwards: a write in the clone is not in the source
    qemuIo(disks.resolve("d0.qcow2"), "write -P 0x77 2M 64k");
    qemuIo(srcDisks.resolve("d0.qcow2"), "read -P 0 2M 64k");

    String srcArgv = argv(f, "src");
    String copyArgv = argv(f, "copy");
    assertThat(copyArgv).contains(disks.resolve("d0.qcow2").toString()).doesNotContain(srcDisks.toString())
        .doesNotContain("52:54:00:aa:bb:cc").doesNotContain("12345678-1234-1234-1234-123456789abc")
        .contains("mac=52:54:00:");
    assertThat(srcArgv).contains("52:54:00:aa:bb:cc");
    JsonObject spec = view.getJsonObject("spec");
    assertThat(spec.getString("uuid")).isNotEqualTo("12345678-1234-1234-1234-123456789abc");
    assertThat(spec.getJsonArray("devices").getJsonObject(0).getString("image")).isEqualTo("base");

    ReplyException inUse = f.failure(Addresses.IMAGE_DELETE, new JsonObject().put("name", "base"));
    assertThat(new JsonObject(inUse.getMessage()).getJsonArray("usedBy").getList()).containsExactly("copy", "src");
    f.request(Addresses.DELETE, new JsonObject().put("name", "src"));
    qemuIo(disks.resolve("d0.qcow2"), "read -P 0x5a 1M 64k");
  }

  @Test
  void hostileClonesFailClearlyAndLeaveNothing() throws Exception {
    Fixture f = withMarkedBase(sup.start(), sup.dir(), "4M");
    f.request(Addresses.CREATE, source("src"));
    f.request(Addresses.CREATE, Fixture.spec("other"));
    byte[] before = Files.readAllBytes(sup.dir().resolve("vms/src/disks/d0.qcow2"));

    assertViolation(f, new JsonObject().put("name", "src"), "as");
    assertViolation(f, new JsonObject().put("name", "src").put("as", 7), "as");
    assertViolation(f, new JsonObject().put("name", "src").put("as", "../images/base"), "as");
    assertViolation(f, new JsonObject().put("name", "src").put("as", ".hidden"), "as");
    assertViolation(f, new JsonObject().put("name", "src").put("as", "a/b"), "as");
    assertThat(f.failure(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "other")).failureCode())
        .isEqualTo(409);
    assertThat(f.failure(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "src")).failureCode())
        .isEqualTo(409);
    assertThat(f.failure(Addresses.CLONE, new JsonObject().put("name", "nosuch").put("as", "x")).failureCode())
        .isEqualTo(404);
    assertThat(f.failure(Addresses.CLONE, new JsonObject().put("as", "x")).failureCode()).isEqualTo(404);

    // a writable disk over a host file: the daemon does not copy it; the reply names it
    Path hostDisk = Files.createDirectories(sup.dir().resolve("src")).resolve("host.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", hostDisk.toString(), "1M");
    f.request(Addresses.CREATE, vm("withfile", new JsonObject().put("id", "h0").put("file", hostDisk.toString())
        .put("format", "qcow2")));
    ReplyException fileDisk = f.failure(Addresses.CLONE, new JsonObject().put("name", "withfile").put("as", "x"));
    assertThat(fileDisk.failureCode()).isEqualTo(409);
    assertThat(new JsonObject(fileDisk.getMessage()).getString("disk")).isEqualTo("h0");

    // a running source: refused before anything is copied
    f.request(Addresses.START, new JsonObject().put("name", "other"));
    ReplyException running = f.failure(Addresses.CLONE, new JsonObject().put("name", "other").put("as", "x"));
    assertThat(running.failureCode()).isEqualTo(409);
    assertThat(running.getMessage()).contains("only a stopped VM can be cloned");
    f.request(Addresses.KILL, new JsonObject().put("name", "other"));

    try (var vms = Files.list(sup.dir().resolve("vms"))) {
      assertThat(vms.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("other", "src", "withfile");
    }
    assertThat(f.failure(Addresses.GET, new JsonObject().put("name", "x")).failureCode()).isEqualTo(404);
    assertThat(Files.readAllBytes(sup.dir().resolve("vms/src/disks/d0.qcow2"))).isEqualTo(before);
    assertThat(sup.dir().resolve("images/base/disk")).exists();
    // and the name is free again for a good clone
    assertThat(f.request(Addresses.CLONE, new JsonObject().put("name", "other").put("as", "x"))
        .getString("name")).isEqualTo("x");
  }

  @Test
  void aCloneThatDoesNotFitFails507AndLeavesNothing() throws Exception {
    Path mnt = Files.createTempDirectory("vmsup-clone-full-");
    run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", mnt.toString());
    Fixture f = null;
    try {
      f = withMarkedBase(Fixture.start(Fixture.options(mnt)), mnt, "1M");
      f.request(Addresses.CREATE, vm("src", new JsonObject().put("id", "d0").put("image", "base").put("size", "8M")));
      Path disk = mnt.resolve("vms/src/disks/d0.qcow2");
      qemuIo(disk, "write -P 0x5a 1M 3M");
      long free = Files.getFileStore(mnt).getUsableSpace();
      Files.write(mnt.resolve("filler"), new byte[(int) Math.max(0, free - (1 << 20))]);

      ReplyException e = f.failure(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "copy"));
      assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(507);
      assertThat(mnt.resolve("vms/copy")).doesNotExist();
      assertThat(f.failure(Addresses.GET, new JsonObject().put("name", "copy")).failureCode()).isEqualTo(404);
      qemuIo(disk, "read -P 0x5a 1M 3M");
      assertThat(f.request(Addresses.GET, new JsonObject().put("name", "src")).getString("state"))
          .isEqualTo("DEFINED");

      Files.delete(mnt.resolve("filler"));
      f.request(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "copy"));
      qemuIo(mnt.resolve("vms/copy/disks/d0.qcow2"), "read -P 0x5a 1M 3M");
    } finally {
      if (f != null) {
        f.close();
      }
      run("umount", mnt.toString());
      Files.delete(mnt);
    }
  }

  private static void assertViolation(Fixture f, JsonObject body, String path) throws Exception {
    ReplyException e = f.failure(Addresses.CLONE, body);
    assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(400);
    JsonArray violations = new JsonObject(e.getMessage()).getJsonArray("violations");
    assertThat(violations.stream().map(JsonObject.class::cast).map(v -> v.getString("path")).toList())
        .as(e.getMessage()).contains(path);
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}

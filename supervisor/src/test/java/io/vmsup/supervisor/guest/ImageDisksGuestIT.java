package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two VMs from one image (q35, TCG, the real test guest): each reads the marker the test wrote into the base image
 * through its own copy-on-write overlay; a write in one is seen neither by the other nor in the base image.
 */
@ExtendWith(TestGuest.class)
class ImageDisksGuestIT {

  static final Duration BOOT = Duration.ofSeconds(90);
  static final Duration T = Duration.ofSeconds(40);
  static final String MARKER = "VMSUP-BASE-MARKER";

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  /** A 4 MiB raw base image holding {@link #MARKER} at offset 0, imported as {@code base}. */
  static void importBase(Fixture f, Path dir) throws Exception {
    Path raw = Files.createDirectories(dir.resolve("src")).resolve("base.raw");
    try (RandomAccessFile file = new RandomAccessFile(raw.toFile(), "rw")) {
      file.setLength(4 << 20);
      file.write(MARKER.getBytes(StandardCharsets.US_ASCII));
    }
    f.request(Addresses.IMAGE_IMPORT, new JsonObject().put("name", "base").put("path", raw.toString())
        .put("format", "raw"));
  }

  static JsonObject vm(String name, GuestImage guest, JsonObject disk) {
    return ConsoleGuestIT.spec(name, guest).put("memory", new JsonObject().put("size", "256M"))
        .put("devices", new JsonArray().add(disk.copy().put("kind", "disk").put("id", "d0")));
  }

  static BusConsole boot(SupervisorExtension supervisors, Fixture f, String name) throws Exception {
    BusConsole console = supervisors.closeAfter(BusConsole.subscribe(f, name));
    f.request(Addresses.START, new JsonObject().put("name", name));
    console.awaitLine(GuestImage.READY, BOOT);
    return console;
  }

  /** {@code bytes} bytes of /dev/vda from sector {@code sector}, as text (NULs dropped). */
  static String read(BusConsole console, int sector, int bytes) throws Exception {
    return String.join("", console.run("dd if=/dev/vda bs=512 skip=" + sector + " count=1 2>/dev/null | head -c "
        + bytes + " | tr -d '\\000'; echo", T));
  }

  @Test
  void twoVmsFromOneImageSeeItsMarkerAndNotEachOthersWrites(GuestImage guest) throws Exception {
    Fixture f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    importBase(f, supervisors.dir());
    Path base = supervisors.dir().resolve("images/base/disk");
    String baseHash = sha256(base);
    f.request(Addresses.CREATE, vm("a", guest, new JsonObject().put("image", "base").put("size", "8M")));
    f.request(Addresses.CREATE, vm("b", guest, new JsonObject().put("image", "base")));
    BusConsole a = boot(supervisors, f, "a");
    BusConsole b = boot(supervisors, f, "b");

    assertThat(read(a, 0, MARKER.length())).isEqualTo(MARKER);
    assertThat(read(b, 0, MARKER.length())).isEqualTo(MARKER);
    assertThat(a.run("cat /sys/block/vda/size", T)).containsExactly("16384");
    assertThat(b.run("cat /sys/block/vda/size", T)).containsExactly("8192");

    a.run("echo A-WROTE-THIS | dd of=/dev/vda bs=512 seek=8 conv=notrunc 2>/dev/null; sync", T);
    a.run("echo 3 > /proc/sys/vm/drop_caches", T);
    assertThat(read(a, 8, 12)).isEqualTo("A-WROTE-THIS");
    assertThat(read(b, 8, 12)).isEmpty();
    assertThat(read(b, 0, MARKER.length())).isEqualTo(MARKER);

    f.request(Addresses.KILL, new JsonObject().put("name", "a"));
    f.request(Addresses.KILL, new JsonObject().put("name", "b"));
    assertThat(sha256(base)).as("the base image is never written").isEqualTo(baseHash);
    assertThat(Files.size(supervisors.dir().resolve("vms/a/disks/d0.qcow2")))
        .as("a's write landed in a's overlay").isGreaterThan(Files.size(supervisors.dir().resolve(
            "vms/b/disks/d0.qcow2")));
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}

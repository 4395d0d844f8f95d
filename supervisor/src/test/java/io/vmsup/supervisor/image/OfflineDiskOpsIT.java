package io.vmsup.supervisor.image;

import static io.vmsup.supervisor.image.ImageStoreIT.qemuImg;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Snapshots and resize of a VM without a QEMU (disk-only, qemu-img on a worker): read-only disks are left out, a
 * writable raw disk refuses snapshots naming it, shrinking is refused, each bad request a clear error.
 */
class OfflineDiskOpsIT {

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  private static JsonObject snap(String vm, String tag) {
    return new JsonObject().put("name", vm).put("snapshot", tag);
  }

  private static long virtualSize(Path file) throws Exception {
    Process p = new ProcessBuilder("qemu-img", "info", "-U", "--output=json", file.toString()).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isZero();
    return new JsonObject(out).getLong("virtual-size");
  }

  @Test
  void diskOnlySnapshotsAndOfflineResizeOfAStoppedVm() throws Exception {
    Fixture f = sup.start();
    Path seed = Files.createDirectories(sup.dir().resolve("src")).resolve("seed.raw");
    qemuImg("create", "-q", "-f", "raw", seed.toString(), "1M");
    f.request(Addresses.CREATE, ManagedDisksIT.vm("q", new JsonObject().put("id", "d0").put("size", "8M"),
        new JsonObject().put("id", "seed").put("file", seed.toString()).put("readOnly", true)));
    Path d0 = sup.dir().resolve("vms/q/disks/d0.qcow2");

    JsonObject taken = f.request(Addresses.SNAPSHOT_CREATE, snap("q", "s1"));
    assertThat(taken.getBoolean("memory")).isFalse();
    assertThat(taken.getJsonArray("disks").getList()).as("the read-only seed is left out").containsExactly("d0");
    JsonObject listed = f.request(Addresses.SNAPSHOT_LIST, new JsonObject().put("name", "q"));
    assertThat(listed.getJsonArray("snapshots").getJsonObject(0).getString("name")).isEqualTo("s1");
    assertThat(f.failure(Addresses.SNAPSHOT_CREATE, snap("q", "s1")).failureCode()).isEqualTo(409);
    assertThat(f.failure(Addresses.SNAPSHOT_CREATE, snap("q", "../x")).failureCode()).isEqualTo(400);
    assertThat(f.failure(Addresses.SNAPSHOT_REVERT, snap("q", "nosuch")).failureCode()).isEqualTo(404);

    JsonObject grown = f.request(Addresses.DISK_RESIZE, new JsonObject().put("name", "q").put("disk", "d0")
        .put("size", "12M"));
    assertThat(grown.getBoolean("live")).isFalse();
    assertThat(virtualSize(d0)).isEqualTo(12L << 20);
    // the spec's size follows, in the view and in spec.json
    assertThat(f.request(Addresses.GET, new JsonObject().put("name", "q")).getJsonObject("spec")
        .getJsonArray("devices").getJsonObject(0).getLong("size")).isEqualTo(12L << 20);
    assertThat(new JsonObject(Files.readString(sup.dir().resolve("vms/q/spec.json"))).getJsonArray("devices")
        .getJsonObject(0).getLong("size")).isEqualTo(12L << 20);
    ReplyException shrink = f.failure(Addresses.DISK_RESIZE, new JsonObject().put("name", "q").put("disk", "d0")
        .put("size", "4M"));
    assertThat(shrink.failureCode()).isEqualTo(400);
    assertThat(virtualSize(d0)).isEqualTo(12L << 20);
    assertThat(f.failure(Addresses.DISK_RESIZE, new JsonObject().put("name", "q").put("disk", "nosuch")
        .put("size", "16M")).failureCode()).isEqualTo(404);
    assertThat(f.failure(Addresses.DISK_RESIZE, new JsonObject().put("name", "q").put("disk", "seed")
        .put("size", "16M")).failureCode()).isEqualTo(409);
    assertThat(f.failure(Addresses.DISK_RESIZE, new JsonObject().put("name", "q").put("disk", "d0")
        .put("size", "1.5G")).failureCode()).isEqualTo(400);

    f.request(Addresses.SNAPSHOT_REVERT, snap("q", "s1"));
    f.request(Addresses.SNAPSHOT_DELETE, snap("q", "s1"));
    assertThat(f.request(Addresses.SNAPSHOT_LIST, new JsonObject().put("name", "q")).getJsonArray("snapshots"))
        .isEmpty();
  }

  @Test
  void aWritableRawDiskRefusesSnapshotsNamingIt() throws Exception {
    Fixture f = sup.start();
    Path raw = Files.createDirectories(sup.dir().resolve("src")).resolve("data.raw");
    qemuImg("create", "-q", "-f", "raw", raw.toString(), "1M");
    f.request(Addresses.CREATE, ManagedDisksIT.vm("r", new JsonObject().put("id", "d0").put("size", "8M"),
        new JsonObject().put("id", "data").put("file", raw.toString())));
    ReplyException e = f.failure(Addresses.SNAPSHOT_CREATE, snap("r", "s1"));
    assertThat(e.failureCode()).isEqualTo(409);
    JsonObject body = new JsonObject(e.getMessage());
    assertThat(body.getString("disk")).isEqualTo("data");
    assertThat(body.getString("path")).isEqualTo("devices[1]");
    assertThat(body.getString("message")).contains("'data'").contains("raw");
    assertThat(f.request(Addresses.SNAPSHOT_LIST, new JsonObject().put("name", "r")).getJsonArray("snapshots"))
        .isEmpty();
  }
}

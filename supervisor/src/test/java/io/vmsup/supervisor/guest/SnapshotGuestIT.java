package io.vmsup.supervisor.guest;

import static io.vmsup.supervisor.guest.ImageDisksGuestIT.T;
import static io.vmsup.supervisor.guest.ImageDisksGuestIT.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A running guest's disk grows live and it sees the new size; a snapshot with memory and a revert bring back the
 * guest's memory (a file on its tmpfs) and disk (a marker written after the snapshot is gone).
 */
@ExtendWith(TestGuest.class)
class SnapshotGuestIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  private static JsonObject vm(String snapshot) {
    return new JsonObject().put("name", "s").put("snapshot", snapshot);
  }

  @Test
  void liveResizeThenSnapshotWriteRevertRestoresMemoryAndDisk(GuestImage guest) throws Exception {
    Fixture f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    ImageDisksGuestIT.importBase(f, supervisors.dir());
    f.request(Addresses.CREATE, ImageDisksGuestIT.vm("s", guest, new JsonObject().put("image", "base")
        .put("size", "8M")));
    BusConsole c = ImageDisksGuestIT.boot(supervisors, f, "s");

    JsonObject grown = f.request(Addresses.DISK_RESIZE, new JsonObject().put("name", "s").put("disk", "d0")
        .put("size", "16M"));
    assertThat(grown.getBoolean("live")).isTrue();
    assertThat(grown.getLong("previous")).isEqualTo(8L << 20);
    assertThat(c.run("i=0; until [ $(cat /sys/block/vda/size) = 32768 ] || [ $i -ge 100 ]; do sleep 0.1;"
        + " i=$((i+1)); done; cat /sys/block/vda/size", T)).containsExactly("32768");
    ReplyException shrink = f.failure(Addresses.DISK_RESIZE, new JsonObject().put("name", "s").put("disk", "d0")
        .put("size", "4M"));
    assertThat(shrink.failureCode()).isEqualTo(400);
    assertThat(shrink.getMessage()).contains("shrinking is refused");

    c.run("echo SNAP-ONE | dd of=/dev/vda bs=512 seek=16 conv=notrunc 2>/dev/null; sync; echo before > /run/state",
        T);
    JsonObject taken = f.request(Addresses.SNAPSHOT_CREATE, vm("s1"));
    assertThat(taken.getBoolean("memory")).isTrue();
    assertThat(taken.getJsonArray("disks").getList()).containsExactly("d0");
    f.awaitEvent(e -> "job".equals(e.getString("type")) && "concluded".equals(e.getString("status")),
        Duration.ofSeconds(5));
    JsonObject listed = f.request(Addresses.SNAPSHOT_LIST, new JsonObject().put("name", "s"))
        .getJsonArray("snapshots").getJsonObject(0);
    assertThat(listed.getString("name")).isEqualTo("s1");
    assertThat(listed.getLong("vmStateSize")).isPositive();
    assertThat(f.failure(Addresses.SNAPSHOT_CREATE, vm("s1")).failureCode()).isEqualTo(409);

    c.run("echo SNAP-TWO | dd of=/dev/vda bs=512 seek=24 conv=notrunc 2>/dev/null; sync; echo after > /run/state",
        T);
    assertThat(read(c, 24, 8)).isEqualTo("SNAP-TWO");

    f.request(Addresses.SNAPSHOT_REVERT, vm("s1"));
    assertThat(c.run("cat /run/state", T)).containsExactly("before");
    assertThat(read(c, 24, 8)).as("written after the snapshot: gone").isEmpty();
    assertThat(read(c, 16, 8)).isEqualTo("SNAP-ONE");

    f.request(Addresses.SNAPSHOT_DELETE, vm("s1"));
    assertThat(f.request(Addresses.SNAPSHOT_LIST, new JsonObject().put("name", "s")).getJsonArray("snapshots"))
        .isEmpty();
    assertThat(f.failure(Addresses.SNAPSHOT_REVERT, vm("s1")).failureCode()).isEqualTo(404);
  }
}

package io.vmsup.supervisor.image;

import static io.vmsup.supervisor.image.ClonesIT.withMarkedBase;
import static io.vmsup.supervisor.image.ManagedDisksIT.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.launch.UidRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each linked clone freezes its source's disks once more, so a VM cloned often reads a long backing chain; nothing
 * limits that chain. A confined QEMU (uid of its own) must be granted every image of it, however deep: the grants
 * stopped at 16 images, and a VM linked-cloned 16 times could no longer start (EACCES on its base image).
 */
class DeepChainIT {

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  @Test
  void aConfinedVmStartsOverABackingChainDeeperThanSixteen() throws Exception {
    Fixture f = withMarkedBase(sup.start(sup.options().withQemuUids(new UidRange(2000001200, 2000001299))),
        sup.dir(), "1M");
    f.request(Addresses.CREATE, vm("src", new JsonObject().put("id", "d0").put("image", "base"))
        .put("memory", new JsonObject().put("size", "64M"))
        .put("supervision", new JsonObject().put("startPaused", true)));
    for (int i = 0; i < 17; i++) {
      f.request(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "c" + i).put("linked", true));
    }
    JsonObject started = f.request(Addresses.START, Fixture.name("src"));

    assertThat(started.getString("state")).isEqualTo("PAUSED");
    JsonObject blocks = f.request(Addresses.QMP, Fixture.name("src").put("execute", "query-block"));
    assertThat(blocks.encode()).contains("images/base/disk");
  }
}

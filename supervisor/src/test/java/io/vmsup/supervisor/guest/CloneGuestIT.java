package io.vmsup.supervisor.guest;

import static io.vmsup.supervisor.guest.ImageDisksGuestIT.BOOT;
import static io.vmsup.supervisor.guest.ImageDisksGuestIT.MARKER;
import static io.vmsup.supervisor.guest.ImageDisksGuestIT.T;
import static io.vmsup.supervisor.guest.ImageDisksGuestIT.importBase;
import static io.vmsup.supervisor.guest.ImageDisksGuestIT.read;
import static io.vmsup.supervisor.guest.ImageDisksGuestIT.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clones with the real test guest (q35, TCG): the source boots and writes its own marker beside the base image's;
 * stopped, it is cloned linked and in full; then the linked clone, the full clone and the source boot together: each
 * reads both markers, and what one writes is seen by neither of the others.
 */
@ExtendWith(TestGuest.class)
class CloneGuestIT {

  private static final String SOURCE_MARK = "SOURCE-WROTE-THIS";

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void linkedAndFullClonesBootWithTheSourcesDataAndTheSourceBootsAgain(GuestImage guest) throws Exception {
    Fixture f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    importBase(f, supervisors.dir());
    f.request(Addresses.CREATE, vm("src", guest, new JsonObject().put("image", "base").put("size", "8M")));
    BusConsole src = ImageDisksGuestIT.boot(supervisors, f, "src");
    src.run("echo " + SOURCE_MARK + " | dd of=/dev/vda bs=512 seek=8 conv=notrunc 2>/dev/null; sync", T);
    f.request(Addresses.STOP, new JsonObject().put("name", "src"));
    f.awaitState("src", "STOPPED", BOOT);

    f.request(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "linked").put("linked", true));
    f.request(Addresses.CLONE, new JsonObject().put("name", "src").put("as", "full"));
    Map<String, BusConsole> consoles = new LinkedHashMap<>();
    for (String vm : new String[] {"linked", "full", "src"}) {
      consoles.put(vm, supervisors.closeAfter(BusConsole.subscribe(f, vm)));
      f.request(Addresses.START, new JsonObject().put("name", vm));
    }
    for (var c : consoles.entrySet()) {
      c.getValue().awaitLine(GuestImage.READY, BOOT);
      assertThat(read(c.getValue(), 0, MARKER.length())).as(c.getKey()).isEqualTo(MARKER);
      assertThat(read(c.getValue(), 8, SOURCE_MARK.length())).as(c.getKey()).isEqualTo(SOURCE_MARK);
    }
    // each writes its own name at sector 16 and sees only its own
    for (var c : consoles.entrySet()) {
      c.getValue().run("echo " + c.getKey() + "-only | dd of=/dev/vda bs=512 seek=16 conv=notrunc 2>/dev/null;"
          + " sync; echo 3 > /proc/sys/vm/drop_caches", T);
    }
    for (var c : consoles.entrySet()) {
      assertThat(read(c.getValue(), 16, 20)).as(c.getKey()).isEqualTo(c.getKey() + "-only");
    }
    for (String vm : consoles.keySet()) {
      f.request(Addresses.KILL, new JsonObject().put("name", vm));
    }
  }
}

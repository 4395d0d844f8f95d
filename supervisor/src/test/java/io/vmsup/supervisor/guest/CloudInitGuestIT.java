package io.vmsup.supervisor.guest;

import static io.vmsup.supervisor.guest.ImageDisksGuestIT.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cloud-init seed as the real test guest sees it (q35, TCG): a read-only block device labelled {@code cidata}
 * (the ISO 9660 volume id, read by the guest from the device),
 * whose ISO 9660 file system holds {@code user-data} with the spec's text and {@code meta-data} naming the VM.
 */
@ExtendWith(TestGuest.class)
class CloudInitGuestIT {

  private static final String USER_DATA = "#cloud-config\nhostname: seeded\nruncmd:\n  - echo VMSUP-SEEDED\n";

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  @Test
  void theGuestSeesAReadOnlyCidataDeviceHoldingTheUserData(GuestImage guest) throws Exception {
    Fixture f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    f.request(Addresses.CREATE, ConsoleGuestIT.spec("ci", guest).put("memory", new JsonObject().put("size", "256M"))
        .put("cloudInit", new JsonObject().put("userData", USER_DATA)));
    BusConsole console = ImageDisksGuestIT.boot(supervisors, f, "ci");

    // the guest's busybox has no blkid: the ISO 9660 volume id is 32 bytes at 32808 (volume descriptor 16, byte 40)
    List<String> labelled = console.run("for d in /dev/vd*; do [ \"$(dd if=$d bs=1 skip=32808 count=32"
        + " 2>/dev/null | tr -d ' ')\" = cidata ] && echo $d; done", T);
    assertThat(labelled).as("the seed by its label").hasSize(1);
    String dev = labelled.get(0);
    assertThat(dev).startsWith("/dev/vd");
    assertThat(console.run("cat /sys/block/" + dev.substring(5) + "/ro", T)).containsExactly("1");
    console.run("mkdir -p /mnt/seed && mount -t iso9660 -o ro " + dev + " /mnt/seed", T);
    assertThat(console.run("ls -1 /mnt/seed", T)).containsExactly("meta-data", "user-data");
    assertThat(String.join("\n", console.run("cat /mnt/seed/user-data", T)) + "\n").isEqualTo(USER_DATA);
    assertThat(console.run("cat /mnt/seed/meta-data", T)).anyMatch(l -> l.contains("ci"));
    assertThat(console.run("echo x > /mnt/seed/user-data 2>&1 || echo REFUSED", T)).last().asString()
        .isEqualTo("REFUSED");
    f.request(Addresses.KILL, new JsonObject().put("name", "ci"));
  }
}

package io.vmsup.supervisor.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NIC MACs with real QEMU (q35, started paused): a NIC without {@code mac} gets a stable one of its own, stored in
 * {@code pci.json}, that QEMU really uses and that stays across a VM restart, a daemon restart and a hot-plug of
 * another NIC; a VM from before MACs were stored keeps the default QEMU always gave it.
 */
class MacAddressIT {

  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;

  static JsonArray oneNic() {
    return new JsonArray().add(new JsonObject().put("kind", "nic").put("id", "net0").put("backend", "user"));
  }

  private String qemuMac(String vm, String nic) throws Exception {
    return f.request(Addresses.QMP, Fixture.name(vm).put("execute", "qom-get").put("arguments",
        new JsonObject().put("path", "/machine/peripheral/" + nic).put("property", "mac"))).getString("return");
  }

  private String storedMac(String vm, String nic) throws Exception {
    return new JsonObject(Files.readString(supervisors.dir().resolve("vms/" + vm + "/pci.json")))
        .getJsonObject("macs").getString(nic);
  }

  private void restart(String vm) throws Exception {
    f.request(Addresses.STOP, Fixture.name(vm).put("graceSeconds", 0));
    f.awaitState(vm, "STOPPED", T);
    f.request(Addresses.START, Fixture.name(vm));
    f.awaitState(vm, "PAUSED", T);
  }

  @Test
  void twoVmsGetDifferentStableMacsThatQemuUses() throws Exception {
    f = supervisors.start();
    String a = f.request(Addresses.CREATE, PciLayoutIT.spec("a", oneNic())).getJsonObject("pciLayout")
        .getJsonObject("macs").getString("net0");
    String b = f.request(Addresses.CREATE, PciLayoutIT.spec("b", oneNic())).getJsonObject("pciLayout")
        .getJsonObject("macs").getString("net0");
    assertThat(a).startsWith("52:54:00:").isNotEqualTo(b).isNotEqualTo("52:54:00:12:34:56");
    assertThat(storedMac("a", "net0")).isEqualTo(a);
    assertThat(new JsonObject(Files.readString(supervisors.dir().resolve("vms/a/spec.json"))))
        .as("the user's spec is never rewritten").isEqualTo(PciLayoutIT.spec("a", oneNic()));
    for (String vm : new String[] {"a", "b"}) {
      f.request(Addresses.START, Fixture.name(vm));
      f.awaitState(vm, "PAUSED", T);
    }
    assertThat(qemuMac("a", "net0")).isEqualTo(a);
    assertThat(qemuMac("b", "net0")).isEqualTo(b);

    restart("a");
    assertThat(qemuMac("a", "net0")).isEqualTo(a);

    f.request(Addresses.ATTACH, Fixture.name("a").put("device", new JsonObject().put("kind", "nic")
        .put("id", "net1").put("backend", "user")));
    String hot = qemuMac("a", "net1");
    assertThat(hot).startsWith("52:54:00:").isNotIn(a, b);
    assertThat(storedMac("a", "net1")).isEqualTo(hot);

    f.close();
    f = supervisors.start();
    f.awaitState("a", "PAUSED", T);
    assertThat(qemuMac("a", "net0")).as("re-attached, the same QEMU").isEqualTo(a);
    restart("a");
    assertThat(qemuMac("a", "net0")).isEqualTo(a);
    assertThat(qemuMac("a", "net1")).isEqualTo(hot);
    assertThat(f.request(Addresses.GET, Fixture.name("a")).getJsonObject("pciLayout").getJsonObject("macs")
        .getMap()).containsEntry("net0", a).containsEntry("net1", hot);
  }

  @Test
  void aVmFromBeforeMacsKeepsQemusDefaultRecordedAtItsNextStart() throws Exception {
    Path vm = Files.createDirectories(supervisors.dir().resolve("vms/old"));
    Files.writeString(vm.resolve("spec.json"), PciLayoutIT.spec("old", oneNic()).encodePrettily());
    Files.writeString(vm.resolve("pci.json"), "{\"devices\": {\"net0\": \"pcie.0:02.0\"}, \"ports\": []}");
    Files.writeString(vm.resolve("desired"), "STOPPED\n");
    f = supervisors.start();
    f.request(Addresses.START, Fixture.name("old"));
    f.awaitState("old", "PAUSED", T);
    String seen = qemuMac("old", "net0");
    assertThat(seen).as("QEMU's own default: what the guest always saw").isEqualTo("52:54:00:12:34:56");
    assertThat(storedMac("old", "net0")).isEqualTo(seen);

    restart("old");
    long pid = f.request(Addresses.GET, Fixture.name("old")).getLong("pid");
    assertThat(Fixture.cmdline(pid)).contains("mac=52:54:00:12:34:56");
    assertThat(qemuMac("old", "net0")).isEqualTo(seen);
  }
}

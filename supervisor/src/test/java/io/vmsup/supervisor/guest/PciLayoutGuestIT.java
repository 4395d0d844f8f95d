package io.vmsup.supervisor.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stable PCI addresses with a real guest (q35, TCG): three devices, restart, hot-plug a fourth, restart, detach the
 * second, restart. Each device keeps the address it got when it appeared, as QEMU reports it ({@code query-pci},
 * read after the firmware numbered the buses) and as the guest sees it ({@code /sys/bus/pci/devices}).
 */
@ExtendWith(TestGuest.class)
class PciLayoutGuestIT {

  private static final Duration BOOT = Duration.ofSeconds(60);
  private static final Duration T = Duration.ofSeconds(40);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;
  private BusConsole console;
  /** The guest-visible address ({@code 0000:BB:SS.F vendor device}) of each device when it first appeared. */
  private final Map<String, String> first = new LinkedHashMap<>();

  @Test
  void everyDeviceKeepsItsAddressAcrossRestartsHotPlugAndDetach(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    JsonObject spec = ConsoleGuestIT.spec("g", guest).put("devices", new JsonArray()
        .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp1").put("chassis", 1).put("slot", 1))
        .add(disk("d1"))
        .add(new JsonObject().put("kind", "nic").put("id", "n1").put("backend", "user").put("bus", "rp1"))
        .add(disk("d2")));
    JsonObject created = f.request(Addresses.CREATE, spec);
    assertThat(created.getJsonObject("spec")).as("the user's spec is never rewritten").isEqualTo(spec);
    assertThat(created.getJsonObject("pciLayout").getJsonObject("devices").getMap())
        .containsOnlyKeys("rp1", "d1", "n1", "d2");
    console = supervisors.closeAfter(BusConsole.subscribe(f, "g"));

    start();
    observe("rp1", "d1", "n1", "d2");
    restart();
    observe("rp1", "d1", "n1", "d2");

    f.request(Addresses.ATTACH, new JsonObject().put("name", "g").put("device", disk("d3")));
    assertThat(layout().getJsonObject("devices").getString("d3")).as("a spare root port").isEqualTo("vmsup-port0:00.0");
    console.run("i=0; until [ -e /dev/vdc ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i+1)); done", T);
    observe("rp1", "d1", "n1", "d2", "d3");
    restart();
    observe("rp1", "d1", "n1", "d2", "d3");
    // the spec holds d3 without a bus (as the user sent it): only the stored layout keeps it behind the spare port
    long pid = f.request(Addresses.GET, Fixture.name("g")).getLong("pid");
    assertThat(Fixture.cmdline(pid)).contains("virtio-blk-pci,id=d3,drive=d3.blk,bus=vmsup-port0,addr=00.0",
        "pcie-root-port,id=vmsup-port0,bus=pcie.0,addr=");

    assertThat(f.request(Addresses.DETACH, new JsonObject().put("name", "g").put("id", "n1")
        .put("timeoutSeconds", 20)).getJsonArray("steps").getList()).contains("device_del");
    assertThat(layout().getJsonObject("devices").getMap()).doesNotContainKey("n1");
    assertThat(qemuView()).doesNotContainKey("n1");
    restart();
    Map<String, String> after = observe("rp1", "d1", "d2", "d3");
    assertThat(after).doesNotContainKey("n1");
    assertThat(Files.readString(supervisors.dir().resolve("vms/g/pci.json"))).contains("\"d3\"").doesNotContain("\"n1\"");
    assertThat(Files.readString(supervisors.dir().resolve("vms/g/spec.json"))).doesNotContain("addr");
  }

  private JsonObject disk(String id) throws Exception {
    Path img = supervisors.dir().resolve(id + ".img");
    try (RandomAccessFile raf = new RandomAccessFile(img.toFile(), "rw")) {
      raf.setLength(4 << 20);
    }
    return new JsonObject().put("kind", "disk").put("id", id).put("file", img.toString());
  }

  private void start() throws Exception {
    f.request(Addresses.START, Fixture.name("g"));
    console.awaitLine(GuestImage.READY, BOOT);
  }

  private void restart() throws Exception {
    f.request(Addresses.STOP, Fixture.name("g").put("graceSeconds", 20));
    start();
  }

  private JsonObject layout() throws Exception {
    return f.request(Addresses.GET, Fixture.name("g")).getJsonObject("pciLayout");
  }

  /**
   * Asserts that QEMU and the guest agree on every expected device's address, that it sits where the stored layout
   * says, and that it equals the address the device had when it first appeared.
   */
  private Map<String, String> observe(String... ids) throws Exception {
    Map<String, String> qemu = qemuView();
    List<String> guestView = guestView();
    JsonObject stored = layout().getJsonObject("devices");
    Map<String, String> seen = new TreeMap<>();
    for (String id : ids) {
      assertThat(qemu).as("QEMU has %s", id).containsKey(id);
      String address = qemu.get(id);
      assertThat(guestView).as("the guest sees %s at %s", id, address).contains(address);
      String slot = stored.getString(id).substring(stored.getString(id).indexOf(':') + 1);
      assertThat(address.substring(8, 12)).as("%s in slot %s of its bus", id, slot).isEqualTo(slot);
      assertThat(address).as("%s has not moved since it appeared", id).isEqualTo(first.computeIfAbsent(id, k -> address));
      seen.put(id, address);
    }
    return seen;
  }

  /**
   * The guest's {@code /sys/bus/pci/devices} as {@code "0000:BB:SS.F 0xVVVV 0xDDDD"} lines. A kernel message may
   * interleave a character into the serial console's copy of a line (seen: {@code 00x1af4}); such a line is read
   * as what it says once the stray zeros before an {@code x} are dropped.
   */
  private List<String> guestView() throws Exception {
    return console.run("for d in /sys/bus/pci/devices/*; do echo \"$(basename $d) $(cat $d/vendor)"
        + " $(cat $d/device)\"; done", T).stream().map(l -> l.replaceAll(" 0+x", " 0x")).toList();
  }

  /** {@code qdev_id → "0000:BB:SS.F 0xVVVV 0xDDDD"} from query-pci, walking bridges. */
  private Map<String, String> qemuView() throws Exception {
    JsonArray buses = f.request(Addresses.QMP, Fixture.name("g").put("execute", "query-pci")).getJsonArray("return");
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < buses.size(); i++) {
      walk(buses.getJsonObject(i).getJsonArray("devices"), out);
    }
    return out;
  }

  private static void walk(JsonArray devices, Map<String, String> out) {
    for (int i = 0; devices != null && i < devices.size(); i++) {
      JsonObject d = devices.getJsonObject(i);
      JsonObject id = d.getJsonObject("id");
      String address = String.format("0000:%02x:%02x.%x 0x%04x 0x%04x", d.getInteger("bus"), d.getInteger("slot"),
          d.getInteger("function"), id.getInteger("vendor"), id.getInteger("device"));
      if (!d.getString("qdev_id", "").isEmpty()) {
        out.put(d.getString("qdev_id"), address);
      }
      JsonObject bridge = d.getJsonObject("pci_bridge");
      if (bridge != null) {
        walk(bridge.getJsonArray("devices"), out);
      }
    }
  }
}

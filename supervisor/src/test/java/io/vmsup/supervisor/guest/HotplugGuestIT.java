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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hot-plug through the supervisor with a real guest (q35, TCG): each attached device shows up in the guest, each
 * detached one is gone from the guest and from QEMU. The guest is asked through the supervisor's own console
 * ({@code console.write} and the console stream); its shell loops wait for devices, the test waits on lines.
 */
@ExtendWith(TestGuest.class)
class HotplugGuestIT {

  private static final Duration BOOT = Duration.ofSeconds(60);
  private static final Duration T = Duration.ofSeconds(40);

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;
  private BusConsole console;

  /** The test guest on q35 with a spare vCPU slot, two DIMM slots and three free root ports. */
  private void boot(GuestImage guest) throws Exception {
    f = supervisors.start(supervisors.options().withAllowedPaths(guest.roots()));
    JsonObject spec = ConsoleGuestIT.spec("g", guest)
        .put("smp", new JsonObject().put("cpus", 1).put("maxCpus", 2))
        .put("memory", new JsonObject().put("size", "256M").put("slots", 2).put("max", "1G"))
        .put("devices", new JsonArray()
            .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp1").put("chassis", 1).put("slot", 1))
            .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp2").put("chassis", 2).put("slot", 2))
            .add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp3").put("chassis", 3).put("slot", 3)));
    f.request(Addresses.CREATE, spec);
    console = supervisors.closeAfter(BusConsole.subscribe(f, "g"));
    f.request(Addresses.START, new JsonObject().put("name", "g"));
    console.awaitLine(GuestImage.READY, BOOT);
  }

  private JsonObject attach(JsonObject device) throws Exception {
    return f.request(Addresses.ATTACH, new JsonObject().put("name", "g").put("device", device));
  }

  private JsonObject detach(String id) throws Exception {
    return f.request(Addresses.DETACH, new JsonObject().put("name", "g").put("id", id).put("timeoutSeconds", 20));
  }

  private String pci() throws Exception {
    return f.request(Addresses.QMP, new JsonObject().put("name", "g").put("execute", "query-pci"))
        .getValue("return").toString();
  }

  /** Runs a guest shell loop that waits (in the guest) until {@code test} holds, then prints {@code show}. */
  private List<String> when(String test, String show) throws Exception {
    return console.run("i=0; until " + test + " || [ $i -ge 300 ]; do sleep 0.1; i=$((i+1)); done; " + show, T);
  }

  @Test
  void diskAppearsAsVdaAndIsGoneAfterDetach(GuestImage guest) throws Exception {
    boot(guest);
    Path img = supervisors.dir().resolve("d1.img");
    try (RandomAccessFile raf = new RandomAccessFile(img.toFile(), "rw")) {
      raf.setLength(8 << 20);
    }
    assertThat(console.run("ls /sys/block", T)).noneMatch(l -> l.contains("vd"));

    attach(new JsonObject().put("kind", "disk").put("id", "d1").put("file", img.toString()).put("bus", "rp1"));
    assertThat(Files.readString(supervisors.dir().resolve("vms/g/spec.json"))).as("persisted spec").contains("\"d1\"");
    assertThat(when("[ -e /dev/vda ]", "ls /dev/vda; cat /sys/block/vda/size")).containsExactly("/dev/vda", "16384");
    assertThat(pci()).contains("\"qdev_id\":\"d1\"");

    JsonObject r = detach("d1");
    assertThat(r.getJsonArray("steps").getList()).containsExactly("device_del", "blockdev-del");
    assertThat(console.run("[ -e /dev/vda ] && echo present || echo absent", T)).containsExactly("absent");
    assertThat(pci()).doesNotContain("\"qdev_id\":\"d1\"");
    assertThat(Files.readString(supervisors.dir().resolve("vms/g/spec.json"))).as("persisted spec").doesNotContain("\"d1\"");
    assertThat(f.request(Addresses.QMP, new JsonObject().put("name", "g").put("execute", "query-named-block-nodes"))
        .getJsonArray("return").encode()).doesNotContain("d1.blk");
  }

  @Test
  void cpuComesOnlineAndGoesAway(GuestImage guest) throws Exception {
    boot(guest);
    assertThat(console.run("nproc", T)).containsExactly("1");

    String id = attach(new JsonObject().put("kind", "cpu")).getString("id");
    console.awaitLine(Pattern.compile("^GUEST-HOTPLUG cpu1 online=1$"), T);
    assertThat(console.run("nproc", T)).containsExactly("2");

    detach(id);
    // the guest's hotplug handler prints this asynchronously: wait for it so it cannot land inside nproc's output
    console.awaitLine(Pattern.compile("^GUEST-UNPLUG cpu1$"), T);
    assertThat(when("[ ! -e /sys/devices/system/cpu/cpu1 ]", "nproc")).containsExactly("1");
    assertThat(f.request(Addresses.QMP, new JsonObject().put("name", "g").put("execute", "query-cpus-fast"))
        .getJsonArray("return")).hasSize(1);
  }

  @Test
  void memoryDimmGrowsMemTotalAndIsGoneFromGuestAndQemuAfterDetach(GuestImage guest) throws Exception {
    boot(guest);
    long before = memTotalKb();

    attach(new JsonObject().put("kind", "memory-backend").put("id", "m1").put("size", "128M"));
    attach(new JsonObject().put("kind", "dimm").put("id", "dimm1").put("memdev", "m1"));
    String block = console.awaitLine(Pattern.compile("^GUEST-HOTPLUG (memory\\d+) online=1$"), T).group(1);
    assertThat(memTotalKb() - before).isEqualTo(128 * 1024);
    assertThat(console.run("cat /sys/devices/system/memory/" + block + "/valid_zones", T))
        .as("the guest onlines hot-added memory movable, so it can offline it again").containsExactly("Movable");
    assertThat(qmp("query-memory-devices").encode()).contains("\"id\":\"dimm1\"");

    // device_del sends an ACPI eject request; the guest offlines the movable block, removes it and ejects the DIMM,
    // and only then does QEMU emit DEVICE_DELETED (which the detach waits for).
    assertThat(detach("dimm1").getJsonArray("steps").getList()).containsExactly("device_del");
    console.awaitLine(Pattern.compile("^GUEST-UNPLUG " + block + "$"), T);
    assertThat(memTotalKb()).as("MemTotal back to its value before the attach").isEqualTo(before);
    assertThat(qmp("query-memory-devices").encode()).doesNotContain("dimm1");
    assertThat(objects()).contains("m1");

    assertThat(detach("m1").getJsonArray("steps").getList()).containsExactly("object-del");
    assertThat(objects()).doesNotContain("m1");
    assertThat(memTotalKb()).isEqualTo(before);
    String persisted = Files.readString(supervisors.dir().resolve("vms/g/spec.json"));
    assertThat(persisted).as("persisted spec").doesNotContain("\"dimm1\"").doesNotContain("\"m1\"");
  }

  @Test
  void tapNicAppearsAsAnInterfaceAndIsGoneAfterDetach(GuestImage guest) throws Exception {
    String tap = "vmsup" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    assertThat(ip("tuntap", "add", "dev", tap, "mode", "tap")).as("create tap " + tap).isZero();
    supervisors.afterProcesses(() -> ip("link", "del", tap));
    boot(guest);
    assertThat(console.run("ls /sys/class/net", T)).containsExactly("lo");

    attach(new JsonObject().put("kind", "nic").put("id", "n1").put("backend", "tap").put("ifname", tap)
        .put("mac", "52:54:00:12:34:77").put("bus", "rp2"));
    assertThat(when("[ -e /sys/class/net/eth0 ]", "cat /sys/class/net/eth0/address"))
        .containsExactly("52:54:00:12:34:77");
    assertThat(pci()).contains("\"qdev_id\":\"n1\"");

    assertThat(detach("n1").getJsonArray("steps").getList()).containsExactly("device_del", "netdev_del");
    assertThat(console.run("ls /sys/class/net", T)).containsExactly("lo");
    assertThat(pci()).doesNotContain("\"qdev_id\":\"n1\"");
  }

  private JsonArray qmp(String command) throws Exception {
    return f.request(Addresses.QMP, new JsonObject().put("name", "g").put("execute", command)).getJsonArray("return");
  }

  /** The names of the user-created QOM objects ({@code qom-list /objects}). */
  private List<String> objects() throws Exception {
    JsonArray props = f.request(Addresses.QMP, new JsonObject().put("name", "g").put("execute", "qom-list")
        .put("arguments", new JsonObject().put("path", "/objects"))).getJsonArray("return");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < props.size(); i++) {
      names.add(props.getJsonObject(i).getString("name"));
    }
    return names;
  }

  private long memTotalKb() throws Exception {
    String line = console.run("grep MemTotal /proc/meminfo", T).get(0);
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  private static int ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}

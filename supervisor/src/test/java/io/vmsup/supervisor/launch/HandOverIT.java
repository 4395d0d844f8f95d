package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daemon opens a real tap (made by the test with {@code ip tuntap}, no address, so no traffic leaves it) and
 * hands its descriptor to a real q35 QEMU over QMP: the tap gets its carrier only once a process holds it, QEMU's
 * descriptor table shows it attached to that very tap, the NIC's netdev is the handed-over one, the VM ran on from
 * {@code -S} to RUNNING, and {@code vm render} lists the hand-over. The same for a live attach.
 */
class HandOverIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;
  private final List<String> taps = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    f = supervisors.start();
  }

  @AfterEach
  void removeTaps() throws Exception {
    for (String t : taps) {
      run("ip", "link", "del", t);
    }
  }

  private String tap() throws Exception {
    String name = "vho" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    assertThat(run("ip", "tuntap", "add", "dev", name, "mode", "tap")).isZero();
    taps.add(name);
    assertThat(run("ip", "link", "set", name, "up")).isZero();
    return name;
  }

  private static JsonObject nic(String id, String ifname) {
    return new JsonObject().put("kind", "nic").put("id", id).put("backend", "tap").put("ifname", ifname);
  }

  @Test
  void aTapTheDaemonOpensIsWhatQemuUsesAndVmRenderSaysSo() throws Exception {
    String t0 = tap();
    assertThat(carrier(t0)).as("no process holds the tap yet").isEqualTo("0");
    f.request(Addresses.CREATE, new JsonObject().put("name", "ho")
        .put("machine", new JsonObject().put("type", "q35").put("accel", "tcg").put("hotplugPorts", 1))
        .put("devices", new JsonArray().add(nic("n0", t0))));
    JsonObject started = f.request(Addresses.START, Fixture.name("ho"));
    assertThat(started.getString("state")).as("cont after the hand-over").isEqualTo("RUNNING");
    long pid = f.request(Addresses.GET, Fixture.name("ho")).getLong("pid");

    assertThat(Fixture.cmdline(pid)).doesNotContain(t0).contains("-S");
    assertThat(tapsHeldBy(pid)).containsExactly(t0);
    assertThat(carrier(t0)).isEqualTo("1");
    assertThat(qomGet("ho", "/machine/peripheral/n0", "netdev")).isEqualTo("n0.net");

    JsonObject render = f.request(Addresses.RENDER, Fixture.name("ho"));
    JsonObject handed = render.getJsonArray("handedOver").getJsonObject(0);
    assertThat(handed.getString("nic")).isEqualTo("n0");
    assertThat(handed.getString("interface")).isEqualTo(t0);
    assertThat(handed.getJsonArray("descriptors").getList()).containsExactly("n0.fd0");
    assertThat(handed.getJsonArray("steps").stream().map(s -> ((JsonObject) s).getString("command")))
        .containsExactly("getfd", "netdev_add", "device_add");
    assertThat(render.getString("afterHandOver")).isEqualTo("cont");
    assertThat(render.getJsonArray("argv").getList()).doesNotContain(t0);

    // a live attach of a second tap: the same hand-over, on the VM's spare root port
    String t1 = tap();
    JsonObject attached = f.request(Addresses.ATTACH, new JsonObject().put("name", "ho").put("device", nic("n1", t1)));
    assertThat(attached.getJsonArray("steps").getList()).containsExactly("getfd", "netdev_add", "device_add");
    assertThat(tapsHeldBy(pid)).containsExactlyInAnyOrder(t0, t1);
    assertThat(carrier(t1)).isEqualTo("1");
    assertThat(qomGet("ho", "/machine/peripheral/n1", "netdev")).isEqualTo("n1.net");

    f.request(Addresses.KILL, Fixture.name("ho"));
    f.awaitState("ho", "STOPPED", java.time.Duration.ofSeconds(30));
    assertThat(carrier(t0)).as("QEMU's descriptor went with it; the daemon kept none").isEqualTo("0");
    assertThat(tapsHeldBy(ProcessHandle.current().pid())).isEmpty();
  }

  @Test
  void anInterfaceThatIsNoTapFailsTheStartWithItsName() throws Exception {
    f.request(Addresses.CREATE, new JsonObject().put("name", "bad")
        .put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("devices", new JsonArray().add(nic("n0", "lo"))));
    ReplyException e = f.failure(Addresses.START, Fixture.name("bad"));
    assertThat(e.getMessage()).contains("tap lo");
    assertThat(f.request(Addresses.GET, Fixture.name("bad")).getString("state")).isEqualTo("FAILED");
  }

  @Test
  void aNicThatCannotBeOpenedStartsNoQemu() throws Exception {
    f.request(Addresses.CREATE, new JsonObject().put("name", "early")
        .put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("devices", new JsonArray().add(nic("n0", "lo"))));
    io.vmsup.supervisor.api.VmException e =
        io.vmsup.supervisor.api.VmException.fromReply(f.failure(Addresses.START, Fixture.name("early")));
    assertThat(e.getMessage()).contains("tap lo");
    assertThat(e.details().getValue("exitCode")).as("no QEMU ran, so none exited").isNull();
    assertThat(e.details().getJsonArray("logTail")).isEmpty();
    try (Stream<Path> files = Files.walk(f.supervisor.options().stateDir())) {
      for (Path log : files.filter(p -> p.getFileName().toString().equals("qemu.log")).toList()) {
        assertThat(Files.readString(log)).as("no start was logged").doesNotContain(QemuLauncher.MARK);
      }
    }
    assertThat(f.request(Addresses.GET, Fixture.name("early")).getString("state")).isEqualTo("FAILED");
  }

  private String qomGet(String vm, String path, String property) throws Exception {
    return f.request(Addresses.QMP, new JsonObject().put("name", vm).put("execute", "qom-get")
        .put("arguments", new JsonObject().put("path", path).put("property", property))).getString("return");
  }

  /** The taps a process holds: {@code iff:} lines of its descriptors' fdinfo (tun descriptors only). */
  private static List<String> tapsHeldBy(long pid) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
      for (Path p : fds.toList()) {
        try {
          Files.readAllLines(p).stream().filter(l -> l.startsWith("iff:"))
              .forEach(l -> out.add(l.substring(4).trim()));
        } catch (IOException gone) {
          // a descriptor closed while listing
        }
      }
    }
    return out;
  }

  private static String carrier(String tap) throws IOException {
    return Files.readString(Path.of("/sys/class/net", tap, "carrier")).trim();
  }

  private static int run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}

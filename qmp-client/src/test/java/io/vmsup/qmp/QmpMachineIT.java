package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.QemuExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typed commands against a real, paused q35 machine (TCG). */
class QmpMachineIT {

  private static final long MIB = 1024 * 1024;

  @RegisterExtension
  final QemuExtension qemu = QemuExtension.q35Paused();

  @Test
  void lifecycleCommandsAndTheirEvents() {
    QmpClient client = qemu.connect();
    assertThat(Await.result(client.execute(QmpCommands.queryStatus())).status()).isEqualTo(RunState.PRELAUNCH);

    Future<QmpEvent> reset = client.awaitEvent("RESET", null, Duration.ofSeconds(5));
    Await.result(client.execute(QmpCommands.systemReset()));
    assertThat(Await.result(reset).data().getBoolean("guest")).isFalse();

    Future<QmpEvent> powerdown = client.awaitEvent("POWERDOWN", null, Duration.ofSeconds(5));
    Await.result(client.execute(QmpCommands.systemPowerdown()));
    Await.result(powerdown);

    String hmp = Await.result(client.execute(QmpCommands.humanMonitorCommand("info version")));
    assertThat(hmp).startsWith(client.greeting().version().major() + ".");
  }

  @Test
  void cpuHotplugFillsTheFreeSlot() {
    QmpClient client = qemu.connect();
    assertThat(Await.result(client.execute(QmpDeviceCommands.queryCpusFast()))).hasSize(1);

    HotpluggableCpu slot = Await.result(QmpOperations.addCpu(client, "cpu1"));

    List<CpuInfo> cpus = Await.result(client.execute(QmpDeviceCommands.queryCpusFast()));
    assertThat(cpus).hasSize(2);
    assertThat(cpus).extracting(CpuInfo::target).containsOnly("x86_64");
    assertThat(cpus.get(1).props().getInteger("socket-id")).isEqualTo(slot.props().getInteger("socket-id"));
    assertThat(Await.failure(QmpOperations.addCpu(client, "cpu2"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void memoryHotplugAddsADimmAndRollsBackTheBackendWhenTheDimmFails() {
    QmpClient client = qemu.connect();

    Await.result(QmpOperations.addMemory(client, "dimm0", 128 * MIB));
    Throwable tooBig = Await.failure(QmpOperations.addMemory(client, "dimm1", 1920 * MIB));

    List<MemoryDeviceInfo> devices = Await.result(client.execute(QmpDeviceCommands.queryMemoryDevices()));
    assertThat(devices).singleElement().satisfies(d -> {
      assertThat(d.type()).isEqualTo("dimm");
      assertThat(d.id()).isEqualTo("dimm0");
      assertThat(d.size()).isEqualTo(128 * MIB);
      assertThat(d.hotplugged()).isTrue();
    });
    assertThat(tooBig).isInstanceOf(QmpErrorException.class);
    JsonArray objects = Await.result(client.execute(QmpCommands.qomList("/objects")));
    assertThat(objects.stream().map(o -> ((JsonObject) o).getString("name")))
        .contains("dimm0-mem").doesNotContain("dimm1-mem");
  }

  @Test
  void nvdimmHotplugOnAHostFile() throws Exception {
    QmpClient client = qemu.connect();
    Path backing = qemu.dir().resolve("nvdimm.img");
    try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
      f.setLength(128 * MIB);
    }

    Await.result(QmpOperations.addNvdimm(client, "nv0", backing.toString(), 128 * MIB));

    List<MemoryDeviceInfo> devices = Await.result(client.execute(QmpDeviceCommands.queryMemoryDevices()));
    assertThat(devices).anySatisfy(d -> {
      assertThat(d.type()).isEqualTo("nvdimm");
      assertThat(d.id()).isEqualTo("nv0");
    });
  }

  @Test
  void deviceDelCompletesOnDeviceDeleted() {
    QmpClient client = qemu.connect();
    Await.result(client.execute(QmpDeviceCommands.deviceAdd("usb-kbd", "kbd0", new JsonObject().put("bus", "xhci.0"))));

    Await.result(QmpOperations.deviceDel(client, "kbd0", Duration.ofSeconds(5)));

    Throwable gone = Await.failure(client.execute(QmpCommands.qomGet("/machine/peripheral/kbd0", "type")));
    assertThat(((QmpErrorException) gone).errorClass()).isIn("GenericError", "DeviceNotFound");
    Throwable unknown = Await.failure(QmpOperations.deviceDel(client, "nope", Duration.ofSeconds(5)));
    assertThat(((QmpErrorException) unknown).errorClass()).isEqualTo("DeviceNotFound");
  }

  @Test
  void balloonChardevNetdevObjectAndQom() {
    QmpClient client = qemu.connect();
    Await.result(client.execute(QmpDeviceCommands.deviceAdd("virtio-balloon-pci", "balloon0",
        new JsonObject().put("bus", "rp1"))));
    assertThat(Await.result(client.execute(QmpCommands.queryBalloon()))).isEqualTo(256 * MIB);
    Await.result(client.execute(QmpCommands.balloon(192 * MIB)));

    Await.result(client.execute(QmpCommands.chardevAdd("ch0", new JsonObject().put("type", "null")
        .put("data", new JsonObject()))));
    Await.result(client.execute(QmpCommands.chardevRemove("ch0")));

    Await.result(client.execute(QmpDeviceCommands.netdevAdd("user", "user0", null)));
    Await.result(client.execute(QmpDeviceCommands.netdevDel("user0")));

    Await.result(client.execute(QmpCommands.objectAdd("iothread", "io0", null)));
    Await.result(client.execute(QmpCommands.qomSet("/objects/io0", "poll-max-ns", 12345)));
    assertThat(Await.result(client.execute(QmpCommands.qomGet("/objects/io0", "poll-max-ns")))).isEqualTo(12345);
    Await.result(client.execute(QmpCommands.objectDel("io0")));

    assertThat(Await.result(client.execute(QmpCommands.qomGet("/machine", "type")))).isEqualTo("pc-q35-7.2-machine"
        .replace("7.2", client.greeting().version().major() + "." + client.greeting().version().minor()));
  }

  @Test
  void vsockDeviceNeedsVhostVsock() {
    QmpClient client = qemu.connect();
    Future<Void> add = client.execute(QmpDeviceCommands.vsockAdd("vsock0", 3, "rp2"));
    if (Files.exists(Path.of("/dev/vhost-vsock"))) {
      Await.result(add);
      Await.result(QmpOperations.deviceDel(client, "vsock0", Duration.ofSeconds(5))
          .recover(e -> Future.succeededFuture())); // a paused guest may never release it
    } else {
      Throwable failure = Await.failure(add);
      System.out.println("QmpMachineIT: /dev/vhost-vsock is absent on this host; checked that vsock device_add "
          + "fails with the server's error instead: " + failure.getMessage());
      assertThat(((QmpErrorException) failure).desc()).contains("vhost-vsock");
    }
  }

  @Test
  void blockQueriesPciScreendumpDumpAndOob() throws Exception {
    QmpClient client = qemu.connect();
    assertThat(Await.result(client.execute(QmpBlockCommands.queryBlock()))).isNotNull();
    assertThat(Await.result(client.execute(QmpBlockCommands.queryBlockstats(true)))).isNotNull();
    // query-nodes false is QEMU's default: the typed query leaves it out (fewer bytes) and sees what an explicit
    // false sees; a named node without a device shows only with query-nodes true
    Await.result(client.execute("blockdev-add", new JsonObject().put("driver", "null-co").put("node-name", "stats0")));
    JsonArray explicit = (JsonArray) Await.result(client.execute("query-blockstats",
        new JsonObject().put("query-nodes", false)));
    assertThat(Await.result(client.execute(QmpBlockCommands.queryBlockstats(false))))
        .extracting(b -> b.device() + "/" + b.nodeName() + "/" + b.qdev())
        .containsExactlyElementsOf(explicit.stream().map(o -> (JsonObject) o)
            .map(o -> o.getString("device") + "/" + o.getString("node-name") + "/" + o.getString("qdev")).toList())
        .doesNotContain("null/stats0/null");
    assertThat(Await.result(client.execute(QmpBlockCommands.queryBlockstats(true))))
        .extracting(b -> b.device() + "/" + b.nodeName() + "/" + b.qdev()).contains("null/stats0/null");
    Await.result(client.execute("blockdev-del", new JsonObject().put("node-name", "stats0")));
    JsonArray pci = Await.result(client.execute(QmpCommands.queryPci()));
    assertThat(pci.encode()).contains("\"qdev_id\":\"vga\"");

    Path ppm = qemu.dir().resolve("screen.ppm");
    Await.result(client.execute(QmpCommands.screendump(ppm.toString())));
    assertThat(Files.readString(ppm.getFileSystem().getPath(ppm.toString()), java.nio.charset.StandardCharsets.ISO_8859_1))
        .startsWith("P6");

    Path dump = qemu.dir().resolve("memory.elf");
    Await.result(client.execute(QmpCommands.dumpGuestMemory("file:" + dump, false, null), Duration.ofSeconds(60)));
    byte[] head = new byte[4];
    try (var in = Files.newInputStream(dump)) {
      assertThat(in.read(head)).isEqualTo(4);
    }
    assertThat(head).containsExactly(0x7f, 'E', 'L', 'F');
    Files.delete(dump);

    // yank allows out-of-band execution in QEMU's schema
    Await.result(client.execute(QmpCommand.noResult("yank", new JsonObject().put("instances", new JsonArray()))
        .asOob()));
  }
}

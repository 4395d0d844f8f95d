package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hot-plug plans carry the same keys as the command line, typed for QMP, with matching undo steps. */
class QmpHotplugTest {

  static Device device(String json) {
    VmSpec spec = GoldenCases.valid("{\"name\": \"h\", \"memory\": {\"size\": \"256M\", \"slots\": 2, \"max\": \"1G\","
        + " \"shared\": true}, \"devices\": [" + json + "]}", json);
    return spec.devices().get(spec.devices().size() - 1);
  }

  @Test
  void diskIsBlockdevAddThenDeviceAdd() {
    HotplugPlan plan = QmpHotplug.plan(device("{\"kind\": \"disk\", \"id\": \"d1\", \"file\": \"/img/a,b.qcow2\","
        + " \"format\": \"qcow2\", \"bootIndex\": 2}"));
    assertThat(plan.steps()).containsExactly(
        new QmpStep("blockdev-add", Map.of("driver", "qcow2", "node-name", "d1.blk", "read-only", false,
            "file", Map.of("driver", "file", "filename", "/img/a,b.qcow2", "aio", "threads"),
            "cache", Map.of("direct", false, "no-flush", false))),
        new QmpStep("device_add", Map.of("driver", "virtio-blk-pci", "id", "d1", "drive", "d1.blk",
            "bootindex", 2)));
    assertThat(plan.undoAfter(2)).containsExactly(new QmpStep("device_del", Map.of("id", "d1")),
        new QmpStep("blockdev-del", Map.of("node-name", "d1.blk")));
    assertThat(plan.undoAfter(1)).containsExactly(new QmpStep("blockdev-del", Map.of("node-name", "d1.blk")));
  }

  @Test
  void nicIsNetdevAddTapThenDeviceAdd() {
    HotplugPlan plan = QmpHotplug.plan(device("{\"kind\": \"nic\", \"id\": \"n1\", \"backend\": \"tap\","
        + " \"ifname\": \"tap9\", \"queues\": 2, \"mac\": \"52:54:00:00:00:09\"}"));
    assertThat(plan.steps()).containsExactly(
        // the daemon opens tap9 (one descriptor per queue) and passes them under these names first
        new QmpStep("netdev_add", Map.of("type", "tap", "id", "n1.net", "fds", "n1.fd0:n1.fd1", "vhost", false)),
        new QmpStep("device_add", Map.of("driver", "virtio-net-pci", "id", "n1", "netdev", "n1.net",
            "mac", "52:54:00:00:00:09", "mq", true, "vectors", 6)));
    assertThat(plan.undo()).containsExactly(new QmpStep("netdev_del", Map.of("id", "n1.net")),
        new QmpStep("device_del", Map.of("id", "n1")));
  }

  @Test
  void memoryIsObjectAddThenPcDimm() {
    HotplugPlan backend = QmpHotplug.plan(device("{\"kind\": \"memory-backend\", \"id\": \"m1\", \"size\": \"128M\","
        + " \"prealloc\": true}"));
    assertThat(backend.steps()).containsExactly(new QmpStep("object-add", Map.of("qom-type", "memory-backend-ram",
        "id", "m1", "size", 128L << 20, "prealloc", true)));
    assertThat(backend.undo()).containsExactly(new QmpStep("object-del", Map.of("id", "m1")));
    HotplugPlan dimm = QmpHotplug.plan(new Dimm("dimm1", "m1"));
    assertThat(dimm.steps()).containsExactly(new QmpStep("device_add", Map.of("driver", "pc-dimm", "id", "dimm1",
        "memdev", "m1")));
  }

  @Test
  void vsockAndVhostUserDevices() {
    assertThat(QmpHotplug.plan(device("{\"kind\": \"vsock\", \"id\": \"v1\", \"cid\": 7}")).steps())
        .containsExactly(new QmpStep("device_add", Map.of("driver", "vhost-vsock-pci", "id", "v1", "guest-cid", 7L)));
    HotplugPlan fs = QmpHotplug.plan(device("{\"kind\": \"virtio-fs\", \"id\": \"fs1\", \"socket\": \"/run/fs.sock\","
        + " \"tag\": \"t\"}"));
    assertThat(fs.steps().get(0)).isEqualTo(new QmpStep("chardev-add", Map.of("id", "fs1.chr", "backend",
        Map.of("type", "socket", "data", Map.of("addr", Map.of("type", "unix", "data", Map.of("path", "/run/fs.sock")),
            "server", false)))));
    assertThat(fs.undo().get(0)).isEqualTo(new QmpStep("chardev-remove", Map.of("id", "fs1.chr")));
  }

  @Test
  void devicesThatCannotBeHotPluggedAreRefused() {
    for (Device d : List.of(new SerialPort("s", "c"), new PcieRootPort("r", 1, 0, PciOptions.none()),
        new Pvpanic("p", Pvpanic.Model.ISA, Optional.empty(), PciOptions.none()))) {
      assertThat(QmpHotplug.supports(d)).isFalse();
      assertThatThrownBy(() -> QmpHotplug.plan(d)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}

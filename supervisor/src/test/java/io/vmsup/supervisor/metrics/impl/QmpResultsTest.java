package io.vmsup.supervisor.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QemuVersion;
import io.vmsup.qmp.QmpBlockCommands;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpCommands;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QmpResultsTest {

  private static final QmpCommand<QemuVersion> VERSION = QmpCommands.queryVersion();

  private static JsonObject stats(long rd, long wr, long rdOps, long wrOps) {
    return new JsonObject().put("rd_bytes", rd).put("wr_bytes", wr).put("rd_operations", rdOps)
        .put("wr_operations", wrOps);
  }

  @Test
  void drivesAreNamedByDeviceThenQdevIdThenNodeName() {
    JsonArray result = new JsonArray()
        .add(new JsonObject().put("device", "drive0").put("stats", stats(1, 2, 3, 4)))
        .add(new JsonObject().put("device", "").put("qdev", "/machine/peripheral/disk0/virtio-backend")
            .put("stats", stats(10, 20, 30, 40)))
        .add(new JsonObject().put("device", "").put("node-name", "disk1.blk").put("stats", stats(5, 6, 7, 8)))
        .add(new JsonObject().put("device", "").put("stats", stats(9, 9, 9, 9)));
    Map<String, BlockCounters.Sample> drives = QmpResults.blockstats(
        QmpBlockCommands.queryBlockstats(false).decoder().apply(result));
    assertThat(drives).containsOnlyKeys("drive0", "disk0", "disk1.blk");
    assertThat(drives.get("disk0")).isEqualTo(new BlockCounters.Sample(10, 20, 30, 40));
  }

  @Test
  void versionIsMajorMinorMicro() {
    JsonObject version = new JsonObject().put("qemu", new JsonObject().put("major", 7).put("minor", 2)
        .put("micro", 22)).put("package", "Debian 1:7.2+dfsg-7+deb12u18");
    assertThat(QmpResults.version(VERSION.decoder().apply(version))).isEqualTo("7.2.22");
    assertThat(QmpResults.version(VERSION.decoder().apply(new JsonObject()))).isEqualTo("unknown");
  }
}

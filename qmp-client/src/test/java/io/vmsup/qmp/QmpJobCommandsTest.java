package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job commands as data, and {@code query-jobs} replies as QEMU 7.2 sends them, decoded. */
class QmpJobCommandsTest {

  @Test
  void snapshotCommandsCarryTheJobIdTagAndNodes() {
    QmpCommand<Void> save = QmpJobCommands.snapshotSave("j1", "t", "d0.blk", List.of("d0.blk", "d1.blk"));
    assertThat(save.name()).isEqualTo("snapshot-save");
    assertThat(save.arguments()).isEqualTo(new JsonObject().put("job-id", "j1").put("tag", "t")
        .put("vmstate", "d0.blk").put("devices", new JsonArray().add("d0.blk").add("d1.blk")));
    assertThat(QmpJobCommands.snapshotDelete("j2", "t", List.of("d0.blk")).arguments().containsKey("vmstate"))
        .isFalse();
    assertThat(QmpBlockCommands.blockResize("d0.blk", 1L << 30).arguments())
        .isEqualTo(new JsonObject().put("node-name", "d0.blk").put("size", 1L << 30));
  }

  @Test
  void queryJobsDecodesStatusProgressAndError() {
    JsonArray reply = new JsonArray()
        .add(new JsonObject().put("id", "j1").put("type", "snapshot-save").put("status", "running")
            .put("current-progress", 3).put("total-progress", 10))
        .add(new JsonObject().put("id", "j2").put("type", "snapshot-load").put("status", "concluded")
            .put("current-progress", 1).put("total-progress", 1).put("error", "Snapshot 't' does not exist"));
    List<JobInfo> jobs = QmpJobCommands.queryJobs().decoder().apply(reply);
    assertThat(jobs).containsExactly(new JobInfo("j1", "snapshot-save", "running", 3, 10, null),
        new JobInfo("j2", "snapshot-load", "concluded", 1, 1, "Snapshot 't' does not exist"));
    assertThat(jobs.get(0).ended()).isFalse();
    assertThat(jobs.get(1).ended()).isTrue();
  }
}

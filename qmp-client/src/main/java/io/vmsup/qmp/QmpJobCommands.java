package io.vmsup.qmp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.Decoders;
import java.util.List;

/**
 * QEMU's generic jobs: internal snapshots of a running VM ({@code snapshot-save}, {@code snapshot-load},
 * {@code snapshot-delete}, QEMU ≥ 6.0) and the commands that follow any job. A job runs on after its command
 * returned: poll {@link #queryJobs()} (or watch {@code JOB_STATUS_CHANGE}) until it {@link JobInfo#ended()}, then
 * {@link #jobDismiss}.
 */
public final class QmpJobCommands {

  private QmpJobCommands() {
  }

  /** {@code snapshot-save} of {@code tag} on {@code devices} (node names), the VM state on node {@code vmstate}. */
  public static QmpCommand<Void> snapshotSave(String jobId, String tag, String vmstate, List<String> devices) {
    return QmpCommand.noResult("snapshot-save", new JsonObject().put("job-id", jobId).put("tag", tag)
        .put("vmstate", vmstate).put("devices", new JsonArray(devices)));
  }

  /** {@code snapshot-load} of {@code tag} from {@code devices}, the VM state from node {@code vmstate}. */
  public static QmpCommand<Void> snapshotLoad(String jobId, String tag, String vmstate, List<String> devices) {
    return QmpCommand.noResult("snapshot-load", new JsonObject().put("job-id", jobId).put("tag", tag)
        .put("vmstate", vmstate).put("devices", new JsonArray(devices)));
  }

  /** {@code snapshot-delete} of {@code tag} on {@code devices}. */
  public static QmpCommand<Void> snapshotDelete(String jobId, String tag, List<String> devices) {
    return QmpCommand.noResult("snapshot-delete", new JsonObject().put("job-id", jobId).put("tag", tag)
        .put("devices", new JsonArray(devices)));
  }

  /** {@code query-jobs}: every job QEMU holds. */
  public static QmpCommand<List<JobInfo>> queryJobs() {
    return QmpCommand.of("query-jobs", null, ret -> Decoders.list(ret, Decoders::job));
  }

  /** {@code job-dismiss} of a concluded job. */
  public static QmpCommand<Void> jobDismiss(String id) {
    return QmpCommand.noResult("job-dismiss", new JsonObject().put("id", id));
  }

  /** {@code job-cancel}. */
  public static QmpCommand<Void> jobCancel(String id) {
    return QmpCommand.noResult("job-cancel", new JsonObject().put("id", id));
  }
}

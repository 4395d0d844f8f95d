package io.vmsup.supervisor.image.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.JobInfo;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpJobCommands;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.image.DiskHost;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Runs one QMP job ({@code snapshot-save}, {@code snapshot-load}, {@code snapshot-delete}) to its end: starts it,
 * polls {@code query-jobs} on a timer (publishing {@code {"type":"job","vm","job","command","status","done",
 * "total"}} when it moves), dismisses it, and fails with QEMU's own error text when the job ended with one.
 */
final class QmpJobs {

  private static final long POLL_MS = 100;
  private static final Duration COMMAND = Duration.ofSeconds(10);

  private QmpJobs() {
  }

  /** {@code start} builds the job's command from the job id this run gives it. */
  static Future<Void> run(DiskHost host, String command, Function<String, QmpCommand<Void>> start, Duration limit) {
    String id = "vmsup-" + command + "-" + System.nanoTime();
    long deadline = System.nanoTime() + limit.toNanos();
    Promise<Void> done = Promise.promise();
    host.qmp(start.apply(id), COMMAND)
        .onFailure(done::fail)
        .onSuccess(r -> poll(host, command, id, deadline, "", done));
    return done.future();
  }

  private static void poll(DiskHost host, String command, String id, long deadline, String last,
      Promise<Void> done) {
    host.qmp(QmpJobCommands.queryJobs(), COMMAND).onFailure(done::fail).onSuccess(jobs -> {
      JobInfo job = jobs.stream().filter(j -> id.equals(j.id())).findFirst().orElse(null);
      if (job == null) {
        done.fail(new VmException(ErrorCode.INTERNAL, command + " job " + id + " vanished before it concluded"));
        return;
      }
      String seen = job.status() + job.currentProgress();
      if (!seen.equals(last)) {
        host.publish(new JsonObject().put("type", "job").put("vm", host.name()).put("job", id)
            .put("command", command).put("status", job.status()).put("done", job.currentProgress())
            .put("total", job.totalProgress()).put("timestamp", Instant.now().toString()));
      }
      if (job.ended()) {
        host.qmp(QmpJobCommands.jobDismiss(id), COMMAND).onComplete(ar -> {
          if (job.error() != null) {
            done.fail(new VmException(ErrorCode.INTERNAL, command + " failed: " + job.error(),
                new JsonObject().put("job", id)));
          } else {
            done.complete();
          }
        });
      } else if (System.nanoTime() > deadline) {
        host.qmp(QmpJobCommands.jobCancel(id), COMMAND);
        done.fail(new VmException(ErrorCode.UNAVAILABLE, command + " did not finish in time; cancelled"));
      } else {
        host.vertx().setTimer(POLL_MS, t -> poll(host, command, id, deadline, seen, done));
      }
    });
  }
}

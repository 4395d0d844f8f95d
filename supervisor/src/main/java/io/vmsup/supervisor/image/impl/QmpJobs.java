package io.vmsup.supervisor.image.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.image.DiskHost;
import java.time.Duration;
import java.time.Instant;

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

  static Future<Void> run(DiskHost host, String command, JsonObject args, Duration limit) {
    String id = "vmsup-" + command + "-" + System.nanoTime();
    long deadline = System.nanoTime() + limit.toNanos();
    Promise<Void> done = Promise.promise();
    host.qmp(command, args.copy().put("job-id", id), COMMAND)
        .onFailure(done::fail)
        .onSuccess(r -> poll(host, command, id, deadline, "", done));
    return done.future();
  }

  private static void poll(DiskHost host, String command, String id, long deadline, String last,
      Promise<Void> done) {
    host.qmp("query-jobs", new JsonObject(), COMMAND).onFailure(done::fail).onSuccess(r -> {
      JsonObject job = r instanceof JsonArray jobs ? find(jobs, id) : null;
      if (job == null) {
        done.fail(new VmException(ErrorCode.INTERNAL, command + " job " + id + " vanished before it concluded"));
        return;
      }
      String status = job.getString("status", "");
      String seen = status + job.getLong("current-progress", 0L);
      if (!seen.equals(last)) {
        host.publish(new JsonObject().put("type", "job").put("vm", host.name()).put("job", id)
            .put("command", command).put("status", status).put("done", job.getLong("current-progress", 0L))
            .put("total", job.getLong("total-progress", 0L)).put("timestamp", Instant.now().toString()));
      }
      if ("concluded".equals(status) || "null".equals(status)) {
        String error = job.getString("error");
        host.qmp("job-dismiss", new JsonObject().put("id", id), COMMAND).onComplete(ar -> {
          if (error != null) {
            done.fail(new VmException(ErrorCode.INTERNAL, command + " failed: " + error,
                new JsonObject().put("job", id)));
          } else {
            done.complete();
          }
        });
      } else if (System.nanoTime() > deadline) {
        host.qmp("job-cancel", new JsonObject().put("id", id), COMMAND);
        done.fail(new VmException(ErrorCode.UNAVAILABLE, command + " did not finish in time; cancelled"));
      } else {
        host.vertx().setTimer(POLL_MS, t -> poll(host, command, id, deadline, seen, done));
      }
    });
  }

  private static JsonObject find(JsonArray jobs, String id) {
    for (Object o : jobs) {
      if (o instanceof JsonObject j && id.equals(j.getString("id"))) {
        return j;
      }
    }
    return null;
  }
}

package io.vmsup.supervisor.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What proves a running QEMU is ours after a daemon restart ({@code runtime.json}): its pid, its start time in
 * clock ticks since boot ({@code /proc/<pid>/stat} field 22) and the QMP socket its command line names.
 */
public record RuntimeRecord(long pid, long procStartTime, String qmpSocket, Instant startedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("pid", pid)
        .put("procStartTime", procStartTime)
        .put("qmpSocket", qmpSocket)
        .put("startedAt", startedAt.toString());
  }

  public static RuntimeRecord fromJson(JsonObject json) {
    return new RuntimeRecord(json.getLong("pid"), json.getLong("procStartTime"), json.getString("qmpSocket"),
        Instant.parse(json.getString("startedAt")));
  }
}

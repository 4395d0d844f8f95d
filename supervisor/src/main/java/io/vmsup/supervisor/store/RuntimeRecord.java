package io.vmsup.supervisor.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What proves a running QEMU is ours after a daemon restart ({@code runtime.json}): its pid, its start time in
 * clock ticks since boot ({@code /proc/<pid>/stat} field 22), the QMP socket its command line names and the
 * incarnation's nonce, which QEMU carries in its environment. Written twice per start: first as an intent (pid 0,
 * before the spawn, so a daemon killed at any instant leaves a QEMU the next daemon can prove its own by the
 * nonce), then with the pid and start time.
 *
 * @param nonce the incarnation's random nonce; null in records written before nonces existed
 */
public record RuntimeRecord(long pid, long procStartTime, String qmpSocket, Instant startedAt, String nonce) {

  /** A record without a nonce (as written before nonces existed). */
  public RuntimeRecord(long pid, long procStartTime, String qmpSocket, Instant startedAt) {
    this(pid, procStartTime, qmpSocket, startedAt, null);
  }

  /** The record written before the spawn: no pid yet. */
  public static RuntimeRecord intent(String qmpSocket, Instant startedAt, String nonce) {
    return new RuntimeRecord(0, 0, qmpSocket, startedAt, nonce);
  }

  /** True for an intent: the daemon may have died before or after the spawn. */
  public boolean isIntent() {
    return pid == 0;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("pid", pid)
        .put("procStartTime", procStartTime)
        .put("qmpSocket", qmpSocket)
        .put("startedAt", startedAt.toString())
        .put("nonce", nonce);
  }

  public static RuntimeRecord fromJson(JsonObject json) {
    return new RuntimeRecord(json.getLong("pid", 0L), json.getLong("procStartTime", 0L), json.getString("qmpSocket"),
        Instant.parse(json.getString("startedAt")), json.getString("nonce"));
  }
}

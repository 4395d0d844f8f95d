package io.vmsup.supervisor.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * A read-only snapshot of one supervised VM, replaced (never mutated) at every change; {@link io.vmsup.supervisor.Supervisor#vms()}
 * returns the current ones. Safe to read from any thread.
 *
 * @param pid               QEMU's pid, 0 when no process
 * @param restarts          automatic restarts since the daemon started supervising the VM
 * @param lastStartDuration spawn → QMP ready of the last successful start, null before one
 * @param startedAt         when the current QEMU was started, null without one
 * @param taint             dangerous pass-through commands the VM received ({@code {"at","command","reason"}});
 *                          empty while the VM is clean
 * @param responsive        false while QEMU is stopped by a signal (SIGSTOP): it runs but cannot answer; only
 *                          shown while there is a process
 * @param unpersisted       null while everything the daemon knows of the VM is on disk; else what is not
 *                          ({@code {"unwritten","path","cause","retryingEverySeconds"}}), written again until it is
 * @param pciLayout         the daemon-owned PCI addresses beside the user's {@code spec} (never rewritten by the
 *                          daemon): {@code {"devices":{"id":"bus:SS.F"},"ports":[...]}}; null while not recorded yet
 * @param specVersion       the version of {@code spec} ({@link SpecVersion}): the HTTP API's entity tag of the VM
 */
public record VmHandle(String name, VmState state, Reason reason, Instant since, long pid, int restarts,
    String qemuVersion, Duration lastStartDuration, Instant startedAt, Integer exitCode, JsonObject spec,
    JsonArray taint, boolean responsive, JsonObject unpersisted, JsonObject pciLayout, String specVersion) {

  /** The VM view of the event-bus API: {@code {"name","state","reason","since","pid","restarts","qemuVersion"?,"responsive"?,"spec","pciLayout"?}}. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject()
        .put("name", name)
        .put("state", state.json())
        .put("reason", reason.json())
        .put("since", since.toString())
        .put("pid", pid == 0 ? null : pid)
        .put("restarts", restarts);
    if (qemuVersion != null) {
      j.put("qemuVersion", qemuVersion);
    }
    if (startedAt != null) {
      j.put("startedAt", startedAt.toString());
    }
    if (lastStartDuration != null) {
      j.put("lastStartMs", lastStartDuration.toNanos() / 1e6);
    }
    if (exitCode != null) {
      j.put("exitCode", exitCode);
    }
    j.put("tainted", !taint.isEmpty());
    if (!taint.isEmpty()) {
      j.put("taint", taint.copy());
    }
    if (pid != 0) {
      j.put("responsive", responsive);
    }
    j.put("persisted", unpersisted == null);
    if (unpersisted != null) {
      j.put("unpersisted", unpersisted.copy());
    }
    j.put("spec", spec);
    if (pciLayout != null) {
      j.put("pciLayout", pciLayout);
    }
    if (specVersion != null) {
      j.put("specVersion", specVersion);
    }
    return j;
  }
}

package io.vmsup.client;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One VM as the daemon shows it: the reply of create, get, start, pause, resume, reset and each element of list.
 *
 * @param name the VM's name
 * @param state its lifecycle state
 * @param reason why it entered that state ({@code qmp-ready}, {@code unexpected-exit}, {@code host-lost}, ...)
 * @param since when it entered that state
 * @param pid QEMU's pid while a process exists, else null
 * @param restarts automatic restarts since its daemon supervises it
 * @param qemuVersion QEMU's version once connected, else null
 * @param startedAt when the current QEMU was spawned, else null
 * @param exitCode the last QEMU's exit code when known, else null
 * @param tainted whether a pass-through command reached outside the VM
 * @param persisted false while the daemon's state directory is behind what it knows
 * @param host the host that owns the VM (a clustered daemon), else null
 * @param spec the VM spec as stored
 * @param json the whole view as received, for members this record does not name ({@code pciLayout}, ...)
 */
public record VmView(String name, VmState state, String reason, Instant since, Long pid, int restarts,
                     String qemuVersion, Instant startedAt, Integer exitCode, boolean tainted, boolean persisted,
                     String host, JsonObject spec, JsonObject json) {
}

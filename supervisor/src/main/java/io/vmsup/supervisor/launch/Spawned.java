package io.vmsup.supervisor.launch;

import java.util.concurrent.CompletableFuture;

/**
 * A freshly started QEMU: its pid, a handle to signal it (null when it is gone already), its exit code once reaped (fails with {@link Spawner.Lost} when the spawner ended
 * first), its {@code /proc} start time (0 if it already exited) and the {@link ProcWatch} opened on it at once (null
 * when it could not be opened: the prober retries).
 */
public record Spawned(long pid, ProcessHandle handle, CompletableFuture<Integer> exit, long procStartTime,
    ProcWatch watch) {
}

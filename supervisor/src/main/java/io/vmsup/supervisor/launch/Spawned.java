package io.vmsup.supervisor.launch;

import java.util.concurrent.CompletableFuture;

/**
 * A freshly started QEMU: its pid, a handle to signal it (null when it is gone already), its exit code once reaped (fails with {@link Spawner.Lost} when the spawner ended
 * first), its {@code /proc} start time (0 if it already exited) and its {@link ProcWatch} (no descriptor held; its
 * start time pinned by a first read at spawn).
 */
public record Spawned(long pid, ProcessHandle handle, CompletableFuture<Integer> exit, long procStartTime,
    ProcWatch watch) {
}

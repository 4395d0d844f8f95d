package io.vmsup.supervisor.launch;

/**
 * A freshly started QEMU: the child process, its pid, its {@code /proc} start time (0 if it already exited) and the
 * {@link ProcWatch} opened on it at once (null when it could not be opened: the prober retries).
 */
public record Spawned(Process process, long pid, long procStartTime, ProcWatch watch) {
}

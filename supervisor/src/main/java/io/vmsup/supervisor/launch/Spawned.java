package io.vmsup.supervisor.launch;

/** A freshly started QEMU: the child process, its pid and its {@code /proc} start time (0 if it already exited). */
public record Spawned(Process process, long pid, long procStartTime) {
}

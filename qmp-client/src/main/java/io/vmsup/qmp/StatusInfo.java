package io.vmsup.qmp;

/**
 * The result of {@code query-status}.
 *
 * @param status the run state, {@link RunState#UNKNOWN} for values this client does not know
 * @param rawStatus the run state as QEMU sent it
 * @param running whether vCPUs run
 */
public record StatusInfo(RunState status, String rawStatus, boolean running) {
}

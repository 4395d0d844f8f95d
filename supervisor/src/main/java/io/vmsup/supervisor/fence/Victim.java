package io.vmsup.supervisor.fence;

/**
 * A relocatable VM's QEMU the watchdog kills when the lease runs out.
 *
 * @param name the VM's name (QEMU's {@code -name guest=NAME})
 * @param pid QEMU's pid
 */
public record Victim(String name, long pid) {
}

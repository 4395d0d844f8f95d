package io.vmsup.config;

import java.util.OptionalInt;

/**
 * CPU topology: {@code -smp cpus=N[,sockets=S][,cores=C][,threads=T][,maxcpus=M]}.
 *
 * @param cpus    vCPUs at start, 1..1024, default 1
 * @param sockets sockets; absent = derived by QEMU
 * @param cores   cores per socket
 * @param threads threads per core
 * @param maxCpus hot-pluggable maximum, &gt;= cpus
 */
public record Smp(int cpus, OptionalInt sockets, OptionalInt cores, OptionalInt threads, OptionalInt maxCpus) {
}

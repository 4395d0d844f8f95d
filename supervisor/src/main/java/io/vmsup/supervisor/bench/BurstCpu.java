package io.vmsup.supervisor.bench;

import java.lang.management.ManagementFactory;

/**
 * The bench JVM's own CPU time over a part of {@code bench launch} (every thread, the ended ones included), and the JIT
 * compilers' accumulated compile time: what the daemon (in-process) spent, which a loaded host disturbs far less than
 * wall time. The spawner process and QEMU are not in it.
 */
record BurstCpu(long cpuNanos, long jitMillis) {

  /** Now. */
  static BurstCpu now() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new BurstCpu(os.getProcessCpuTime(), ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
  }

  /** What was spent since {@code earlier}. */
  BurstCpu since(BurstCpu earlier) {
    return new BurstCpu(cpuNanos - earlier.cpuNanos, jitMillis - earlier.jitMillis);
  }

  /** Milliseconds of CPU per launch over {@code n} launches, all threads. */
  double msPer(int n) {
    return cpuNanos / 1e6 / n;
  }

  /** Milliseconds of JIT compile time per launch over {@code n} launches. */
  double jitMsPer(int n) {
    return (double) jitMillis / n;
  }
}

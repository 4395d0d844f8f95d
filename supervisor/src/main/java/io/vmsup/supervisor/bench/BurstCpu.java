package io.vmsup.supervisor.bench;

import java.io.IOException;

/**
 * The bench JVM's own CPU time over a part of {@code bench launch} (user + system of every thread, and of the JIT
 * compiler threads alone), from {@code /proc/self}: what the daemon (in-process) spent, which a loaded host disturbs
 * far less than wall time. The spawner process and QEMU are not in it.
 */
record BurstCpu(long ticks, long jitTicks) {

  /** Now; zeros when {@code /proc} cannot be read (the row then says 0). */
  static BurstCpu now() {
    long pid = ProcessHandle.current().pid();
    try {
      return new BurstCpu(ProcStat.cpuTicks(pid), ProcStat.compilerTicks(pid));
    } catch (IOException | RuntimeException e) {
      return new BurstCpu(0, 0);
    }
  }

  /** What was spent since {@code earlier}. */
  BurstCpu since(BurstCpu earlier) {
    return new BurstCpu(ticks - earlier.ticks, jitTicks - earlier.jitTicks);
  }

  /** Milliseconds per launch over {@code n} launches, all threads. */
  double msPer(int n) {
    return ticks * ProcStat.microsPerTick() / 1000.0 / n;
  }

  /** Milliseconds per launch over {@code n} launches, the JIT compiler threads. */
  double jitMsPer(int n) {
    return jitTicks * ProcStat.microsPerTick() / 1000.0 / n;
  }
}

package io.vmsup.supervisor.bench;

/**
 * This JVM's CPU time spent over the one-at-a-time launches, by kind (0 raw, 1 create then start, 2 create+start in
 * one request): all threads (ns) and the JIT compiler threads (ms, from /proc in clock ticks; their scan of the threads
 * falls into the next launch's window, alike for every kind; a window in which a compiler thread ended counts 0). The
 * daemon runs in this JVM; the spawner and QEMU do not.
 */
final class LaunchCpu {

  final long[] cpuNanos = new long[3];
  final long[] jitMs = new long[3];

  /** Now: {@code {cpu ns, JIT ms}}. */
  static long[] now() {
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    return new long[] {cpu, Math.round(BurstCpu.now().jitTicks() * ProcStat.microsPerTick() / 1000.0)};
  }

  /** Counts what was spent between {@code from} and {@code to} for kind {@code which}. */
  void count(int which, long[] from, long[] to) {
    cpuNanos[which] += to[0] - from[0];
    // a compiler thread that ended meanwhile (the JVM starts and stops them as needed) takes its whole CPU time out
    // of the sum: such a window counts 0, not less
    jitMs[which] += Math.max(0, to[1] - from[1]);
  }

  void clear() {
    java.util.Arrays.fill(cpuNanos, 0);
    java.util.Arrays.fill(jitMs, 0);
  }
}

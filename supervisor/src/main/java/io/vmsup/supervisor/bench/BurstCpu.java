package io.vmsup.supervisor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bench JVM's own CPU time over a part of {@code bench launch} (every thread, the ended ones included), and its
 * JIT compiler threads' CPU: what the daemon (in-process) spent, which a loaded host disturbs far less than wall time.
 * The spawner process and QEMU are not in it. The compilers' figure is a lower bound: a compiler thread that ends
 * in between (the JVM starts and stops them as work comes) takes its CPU since the start along.
 */
record BurstCpu(long cpuNanos, Map<String, Long> compilerTicks) {

  /** Now. */
  static BurstCpu now() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new BurstCpu(os.getProcessCpuTime(), compilers());
  }

  /** What was spent since {@code earlier}: per compiler thread, its ticks since then (all of them for a new one). */
  BurstCpu since(BurstCpu earlier) {
    Map<String, Long> d = new HashMap<>();
    compilerTicks.forEach((tid, t) -> d.put(tid, t - earlier.compilerTicks.getOrDefault(tid, 0L)));
    return new BurstCpu(cpuNanos - earlier.cpuNanos, d);
  }

  /** Milliseconds of CPU per launch over {@code n} launches, all threads. */
  double msPer(int n) {
    return cpuNanos / 1e6 / n;
  }

  /** Milliseconds of the JIT compiler threads' CPU per launch over {@code n} launches. */
  double jitMsPer(int n) {
    return jitTicks() * ProcStat.microsPerTick() / 1000.0 / n;
  }

  /** The compiler threads' ticks (of a reading: the live threads' totals; of a {@link #since}: the differences). */
  long jitTicks() {
    return compilerTicks.values().stream().mapToLong(Long::longValue).sum();
  }

  /** utime + stime of each live compiler thread ({@code C1 CompilerThre}, {@code C2 CompilerThre}) by thread id. */
  private static Map<String, Long> compilers() {
    Map<String, Long> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            out.put(task.getFileName().toString(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
          }
        } catch (IOException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // no /proc: the row says 0
    }
    return out;
  }
}

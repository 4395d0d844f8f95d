package io.vmsup.supervisor.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time of every thread of this process, the JVM's own included (the garbage collector's, the JIT compilers',
 * the VM thread's), read from {@code /proc/self/task/TID/stat} and grouped by what the threads do. The JVM's
 * per-thread counters see only Java threads: at rest with 10,000 VMs most of the time outside them was not explained.
 */
final class ThreadCpu {

  /** Thread groups in the order they are printed: a kernel thread name (15 characters at most) prefix each. */
  private static final List<String[]> GROUPS = List.of(
      new String[] {"event loops (vert.x-eventloop-thread-*)", "vert.x-eventloo"},
      new String[] {"liveness sweep (vmsup-liveness-*)", "vmsup-liveness"},
      new String[] {"worker pool (vert.x-worker-thread-*)", "vert.x-worker"},
      new String[] {"file-system pool (vert.x-internal-blocking-*)", "vert.x-internal"},
      new String[] {"JIT compilers (C1, C2)", "C1 CompilerThre", "C2 CompilerThre"},
      new String[] {"VM thread (serial GC pauses, safepoints)", "VM Thread"},
      new String[] {"GC threads (parallel and concurrent GCs)", "GC Thread", "G1 ", "GC "},
      new String[] {"JVM housekeeping (periodic task, sweeper, service)", "VM Periodic Tas", "Sweeper thread",
          "Service Thread", "Monitor Deflati", "Common-Cleaner", "Notification Th"});

  private final Map<Long, long[]> ticks; // tid -> {ticks}
  private final Map<Long, String> names;
  private final long gcCount;
  private final long gcMillis;
  private final long jitMillis;

  private ThreadCpu(Map<Long, long[]> ticks, Map<Long, String> names) {
    this.ticks = ticks;
    this.names = names;
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    this.gcCount = count;
    this.gcMillis = millis;
    var jit = ManagementFactory.getCompilationMXBean();
    this.jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  /** Now: every live thread's user + system time. */
  static ThreadCpu now() {
    Map<Long, long[]> ticks = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          long tid = Long.parseLong(task.getFileName().toString());
          names.put(tid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
          ticks.put(tid, new long[] {cpuTicks(stat)});
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile: its time is in the process's total, under "the rest"
        }
      }
    } catch (IOException e) {
      // no /proc: the split is empty and the whole time shows as the rest
    }
    return new ThreadCpu(ticks, names);
  }

  /** Fields 14 and 15 of proc(5); the name (field 2) may hold spaces and parentheses. */
  static long cpuTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The group a kernel thread name belongs to; {@code null} for none of {@link #GROUPS}. */
  static String group(String threadName) {
    for (String[] g : GROUPS) {
      for (int i = 1; i < g.length; i++) {
        if (threadName.startsWith(g[i])) {
          return g[0];
        }
      }
    }
    return null;
  }

  /**
   * Percent of one core each group used from {@code before} to this snapshot over {@code wallNanos}, in the order of
   * {@link #GROUPS} (every group, zero included); threads of no group are summed under "other threads".
   */
  Map<String, Double> since(ThreadCpu before, long wallNanos) {
    Map<String, Double> out = new LinkedHashMap<>();
    GROUPS.forEach(g -> out.put(g[0], 0.0));
    out.put("other threads", 0.0);
    double nanosPerTick = ProcStat.microsPerTick() * 1000;
    ticks.forEach((tid, t) -> {
      long[] was = before.ticks.get(tid);
      long used = t[0] - (was == null ? 0 : was[0]);
      String g = group(names.get(tid));
      out.merge(g == null ? "other threads" : g, 100.0 * used * nanosPerTick / wallNanos, Double::sum);
    });
    return out;
  }

  /** Collections from {@code before} to this snapshot. */
  long gcCountSince(ThreadCpu before) {
    return gcCount - before.gcCount;
  }

  /** Time in collections from {@code before} to this snapshot, as the collectors report it (ms). */
  long gcMillisSince(ThreadCpu before) {
    return gcMillis - before.gcMillis;
  }

  /** Time the JIT compilers spent from {@code before} to this snapshot, as the JVM reports it (ms). */
  long jitMillisSince(ThreadCpu before) {
    return jitMillis - before.jitMillis;
  }
}

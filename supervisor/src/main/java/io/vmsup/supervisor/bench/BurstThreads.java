package io.vmsup.supervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * This JVM's CPU over a burst by thread group (event loops, workers, the fsync pool, the file watches, the JVM's own
 * thread for safepoints and the serial GC, the JIT, the rest): where the daemon's CPU per start goes, from
 * {@code /proc/self/task}, thread by thread (a thread new in between counts whole). What ended in between is the
 * process's total minus the groups' sum, in its own column.
 */
final class BurstThreads {

  /** Group names in print order, each with the prefixes of the kernel's 15-character thread names it takes. */
  private static final Map<String, String[]> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("event loops", new String[] {"vert.x-eventloo"});
    GROUPS.put("workers", new String[] {"vert.x-worker-t", "vert.x-internal"});
    GROUPS.put("fsync", new String[] {"vmsup-fsync"});
    GROUPS.put("JDK watch pollers", new String[] {"FileSystemWatch"});
    GROUPS.put("dir watch", new String[] {"vmsup-dir-watch", "vmsup-qmp-watch", "vmsup-console-w"});
    GROUPS.put("spawner pipe", new String[] {"vmsup-spawner"});
    GROUPS.put("VM thread (GC)", new String[] {"VM Thread"});
    GROUPS.put("JIT", new String[] {"C1 CompilerThre", "C2 CompilerThre"});
  }

  private final Map<String, Long> byThread;
  private final Map<String, Long> switches;
  private final long total;

  private BurstThreads(Map<String, Long> byThread, Map<String, Long> switches, long total) {
    this.byThread = byThread;
    this.switches = switches;
    this.total = total;
  }

  /**
   * Now: each live thread's utime + stime (key: thread id and name) and the process's, in clock ticks, and each
   * thread's voluntary context switches (a thread that waits for another: the hops between threads).
   */
  static BurstThreads now() {
    Map<String, Long> out = new HashMap<>();
    Map<String, Long> waits = new HashMap<>();
    long all = 0;
    try {
      all = ProcStat.cpuTicks(ProcessHandle.current().pid());
      try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path task : tasks.toList()) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            String key = task.getFileName() + " " + name;
            out.put(key, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            waits.put(key, voluntarySwitches(task));
          } catch (IOException gone) {
            // the thread ended meanwhile: its CPU falls into the "ended" column
          }
        }
      }
    } catch (IOException e) {
      // no /proc: the row says 0
    }
    return new BurstThreads(out, waits, all);
  }

  private static long voluntarySwitches(Path task) throws IOException {
    for (String line : Files.readAllLines(task.resolve("status"))) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return 0;
  }

  /** One row: voluntary context switches per launch over {@code n} launches since {@code earlier}, by group. */
  String switchesSince(BurstThreads earlier, int n) {
    Map<String, Long> groups = sums(switches, earlier.switches);
    StringBuilder b = new StringBuilder();
    groups.forEach((g, c) -> b.append(b.length() == 0 ? "" : ", ").append(g)
        .append(String.format(" %.1f", c / (double) n)));
    return b.toString();
  }

  /** Per group (in print order, then "other"), the sum of each thread's growth since {@code earlier}. */
  private static Map<String, Long> sums(Map<String, Long> now, Map<String, Long> earlier) {
    Map<String, Long> groups = new LinkedHashMap<>();
    GROUPS.keySet().forEach(g -> groups.put(g, 0L));
    groups.put("other", 0L);
    for (Map.Entry<String, Long> e : now.entrySet()) {
      long d = e.getValue() - earlier.getOrDefault(e.getKey(), 0L);
      groups.merge(group(e.getKey().substring(e.getKey().indexOf(' ') + 1)), d, Long::sum);
    }
    return groups;
  }

  /** One row: ms of CPU per launch over {@code n} launches since {@code earlier}, by group. */
  String rowSince(BurstThreads earlier, int n) {
    Map<String, Long> groups = sums(byThread, earlier.byThread);
    long sum = groups.values().stream().mapToLong(Long::longValue).sum();
    groups.put("ended", Math.max(0, total - earlier.total - sum));
    double msPerTick = ProcStat.microsPerTick() / 1000.0;
    StringBuilder b = new StringBuilder();
    groups.forEach((g, t) -> b.append(b.length() == 0 ? "" : ", ").append(g)
        .append(String.format(" %.2f", t * msPerTick / n)));
    return b.toString();
  }

  private static String group(String name) {
    for (Map.Entry<String, String[]> g : GROUPS.entrySet()) {
      for (String prefix : g.getValue()) {
        if (name.startsWith(prefix)) {
          return g.getKey();
        }
      }
    }
    return "other";
  }
}

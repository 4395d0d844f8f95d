package io.vmsup.supervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code /proc} says of a process: resident memory (RSS, and Pss: each shared page divided among the processes
 * that map it) and CPU time (user + system, in clock ticks).
 */
final class ProcStat {

  private static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcStat() {
  }

  /** {@code VmRSS} of {@code /proc/PID/status}, in KiB. */
  static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
  }

  /**
   * {@code Pss} of {@code /proc/PID/smaps_rollup}, in KiB: the process's private pages plus its share of each page it
   * maps with others (a shared library's text counts once over all the processes that map it).
   */
  static long pssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
      if (line.startsWith("Pss:")) {
        return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no Pss in /proc/" + pid + "/smaps_rollup");
  }

  /** utime + stime of {@code /proc/PID/stat} (all threads, the ones that ended included), in clock ticks. */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // the command name may hold spaces and parentheses: the fields start after the last ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
  }

  /**
   * utime + stime of a JVM's JIT compiler threads ({@code C1 CompilerThread0}, {@code C2 CompilerThread1}, ...: the
   * kernel keeps 15 characters of a thread's name) that run now, in clock ticks.
   */
  static long compilerTicks(long pid) throws IOException {
    return compilerTicksByThread(pid).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * utime + stime of each of a JVM's JIT compiler threads that run now, by thread id, in clock ticks. The JVM starts
   * and ends compiler threads as their queues grow and shrink ({@code UseDynamicNumberOfCompilerThreads}), so a sum
   * taken twice can fall; {@link #compilerTicksSince} compares thread by thread.
   */
  static java.util.Map<String, Long> compilerTicksByThread(long pid) throws IOException {
    java.util.Map<String, Long> byThread = new java.util.HashMap<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended meanwhile
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
          byThread.put(task.getFileName().toString(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
        }
      }
    }
    return byThread;
  }

  /**
   * The JIT compiler threads' ticks since {@code before} (from {@link #compilerTicksByThread}): each thread that runs
   * now counts what it took since then (all of it if it is new); a thread that ended in between is not counted for
   * its last stretch, so this can only undercount, never go below zero.
   */
  static long compilerTicksSince(long pid, java.util.Map<String, Long> before) throws IOException {
    long sum = 0;
    for (java.util.Map.Entry<String, Long> e : compilerTicksByThread(pid).entrySet()) {
      sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    }
    return sum;
  }

  /** Microseconds per clock tick. */
  static double microsPerTick() {
    return 1e6 / TICKS_PER_SECOND;
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      return 100; // USER_HZ on every Linux architecture vmsup runs on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}

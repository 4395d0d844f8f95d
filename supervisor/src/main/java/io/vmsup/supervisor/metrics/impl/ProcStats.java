package io.vmsup.supervisor.metrics.impl;

import java.nio.charset.StandardCharsets;

/**
 * CPU time and resident memory of a process, from {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}.
 *
 * @param cpuSeconds user + system time
 * @param rssBytes resident set size
 */
record ProcStats(double cpuSeconds, double rssBytes) {

  // proc(5): utime/stime are in clock ticks; USER_HZ is 100 on every Linux architecture we run on
  static final double TICKS_PER_SECOND = 100.0;

  /**
   * Reads the figures of many processes in one go, blocking (call on a worker): one task per sampling tick for all
   * the VMs of that tick instead of two file reads per VM. A process that cannot be read (gone, not ours) is absent.
   */
  static java.util.Map<Long, ProcStats> readAll(java.util.Collection<Long> pids) {
    java.util.Map<Long, ProcStats> out = new java.util.HashMap<>();
    for (long pid : pids) {
      try {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"),
            StandardCharsets.US_ASCII);
        String status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "status"),
            StandardCharsets.UTF_8);
        out.put(pid, new ProcStats(cpuSeconds(stat), rssBytes(status)));
      } catch (java.io.IOException | RuntimeException e) {
        // one process's figures missing: its series wait for the next sample, the others are kept
      }
    }
    return out;
  }

  /** Fields 14 (utime) and 15 (stime); the command name (field 2) may hold spaces and parentheses. */
  static double cpuSeconds(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
    // fields[0] is field 3 (state)
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / TICKS_PER_SECOND;
  }

  static double rssBytes(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split(" +");
        return Long.parseLong(parts[0]) * 1024.0;
      }
    }
    return Double.NaN;
  }
}

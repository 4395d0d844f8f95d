package io.vmsup.supervisor.metrics.impl;

import io.vertx.core.Future;
import io.vertx.core.file.FileSystem;
import java.nio.charset.StandardCharsets;

/**
 * CPU time and resident memory of a process, from {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}, read with
 * the non-blocking file system API.
 *
 * @param cpuSeconds user + system time
 * @param rssBytes resident set size
 */
record ProcStats(double cpuSeconds, double rssBytes) {

  // proc(5): utime/stime are in clock ticks; USER_HZ is 100 on every Linux architecture we run on
  static final double TICKS_PER_SECOND = 100.0;

  static Future<ProcStats> read(FileSystem fs, long pid) {
    Future<String> stat = fs.readFile("/proc/" + pid + "/stat").map(b -> b.toString(StandardCharsets.US_ASCII));
    Future<String> status = fs.readFile("/proc/" + pid + "/status").map(b -> b.toString(StandardCharsets.UTF_8));
    return Future.all(stat, status).map(v -> new ProcStats(cpuSeconds(stat.result()), rssBytes(status.result())));
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

package io.vmsup.supervisor.metrics.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, from {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}.
 *
 * @param cpuSeconds user + system time
 * @param rssBytes resident set size
 */
record ProcStats(double cpuSeconds, double rssBytes) {

  // proc(5): utime/stime are in clock ticks; USER_HZ is 100 on every Linux architecture we run on
  static final double TICKS_PER_SECOND = 100.0;
  /** What is read of each file: a stat line is ~300 bytes, VmRSS is within the first ~1 KiB of status. */
  private static final int READ_BYTES = 4096;
  private static final byte[] VM_RSS = "\nVmRSS:".getBytes(StandardCharsets.US_ASCII);
  private static final Path PROC = Path.of("/proc");

  /**
   * Reads the figures of many processes in one go, blocking (call on a worker): one task per sampling tick for all
   * the VMs of that tick instead of two file reads per VM. A process that cannot be read (gone, not ours) is absent.
   * Both files are parsed as bytes in one buffer of the call (at 10,000 VMs, 200 processes a second: no String, no
   * regular expression per process).
   */
  static java.util.Map<Long, ProcStats> readAll(java.util.Collection<Long> pids) {
    java.util.Map<Long, ProcStats> out = new java.util.HashMap<>();
    ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
    for (long pid : pids) {
      try {
        Path dir = PROC.resolve(Long.toString(pid));
        double cpu = cpuSeconds(buffer.array(), read(dir.resolve("stat"), buffer));
        double rss = rssBytes(buffer.array(), read(dir.resolve("status"), buffer));
        out.put(pid, new ProcStats(cpu, rss));
      } catch (IOException | RuntimeException e) {
        // one process's figures missing: its series wait for the next sample, the others are kept
      }
    }
    return out;
  }

  /** Reads up to the buffer's size of {@code file} into it; returns the length. */
  private static int read(Path file, ByteBuffer buffer) throws IOException {
    buffer.clear();
    try (FileChannel channel = FileChannel.open(file)) {
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // /proc hands a small file over in one read; loop for safety
      }
    }
    return buffer.position();
  }

  /** Fields 14 (utime) and 15 (stime); the command name (field 2) may hold spaces and parentheses. */
  static double cpuSeconds(String stat) {
    byte[] b = stat.getBytes(StandardCharsets.US_ASCII);
    return cpuSeconds(b, b.length);
  }

  static double cpuSeconds(byte[] stat, int length) {
    int i = length - 1;
    while (i >= 0 && stat[i] != ')') {
      i--;
    }
    if (i < 0) {
      throw new IllegalArgumentException("no command name in a stat line");
    }
    // after ") " comes field 3; utime is field 14, 11 fields further
    int field = 3;
    int at = i + 2;
    while (field < 14) {
      at = skipField(stat, at, length);
      field++;
    }
    long utime = number(stat, at, length);
    long stime = number(stat, skipField(stat, at, length), length);
    return (utime + stime) / TICKS_PER_SECOND;
  }

  private static int skipField(byte[] b, int at, int length) {
    while (at < length && b[at] != ' ') {
      at++;
    }
    while (at < length && b[at] == ' ') {
      at++;
    }
    if (at >= length) {
      throw new IllegalArgumentException("stat line too short");
    }
    return at;
  }

  /** The decimal number at {@code at} (after any spaces or tabs). */
  private static long number(byte[] b, int at, int length) {
    while (at < length && (b[at] == ' ' || b[at] == '\t')) {
      at++;
    }
    long n = 0;
    int digits = 0;
    for (; at < length && b[at] >= '0' && b[at] <= '9' && digits < 19; at++, digits++) {
      n = n * 10 + (b[at] - '0');
    }
    if (digits == 0) {
      throw new IllegalArgumentException("no number where one is due");
    }
    return n;
  }

  static double rssBytes(String status) {
    byte[] b = status.getBytes(StandardCharsets.UTF_8);
    return rssBytes(b, b.length);
  }

  /** {@code VmRSS:} in kB (a kernel thread or a zombie has none: NaN). */
  static double rssBytes(byte[] status, int length) {
    outer:
    for (int i = 0; i + VM_RSS.length <= length; i++) {
      for (int j = 0; j < VM_RSS.length; j++) {
        if (status[i + j] != VM_RSS[j]) {
          continue outer;
        }
      }
      return number(status, i + VM_RSS.length, length) * 1024.0;
    }
    return Double.NaN;
  }
}

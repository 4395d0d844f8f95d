package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/** Blocking reads of {@code /proc/<pid>}: call on a worker. */
public final class ProcFs {

  private ProcFs() {
  }

  /**
   * Field 22 of {@code /proc/<pid>/stat}: the start time in clock ticks since boot. Together with the pid it names
   * one process for the life of the host (pids are reused, start times are not). Empty when the process is gone.
   */
  public static OptionalLong startTime(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
    } catch (IOException gone) {
      return OptionalLong.empty();
    }
    // proc(5): field 2 (comm) is in parentheses and may contain spaces; count fields after the last ')'.
    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // rest[0] is field 3 (state): field 22 is rest[19]. A zombie has exited: treat it as gone.
    if (rest.length < 20 || rest[0].equals("Z")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(rest[19]));
  }

  /** The argv of a process from {@code /proc/<pid>/cmdline}; empty when gone or unreadable (metrics, logs). */
  public static List<String> cmdline(long pid) {
    try {
      return readCmdline(pid);
    } catch (IOException gone) {
      return List.of();
    }
  }

  /**
   * The argv of a process; empty for a zombie. For decisions: an error is not "gone", the caller judges it with
   * {@link Evidence#fromError}.
   */
  public static List<String> readCmdline(long pid) throws IOException {
    return nulSeparated(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
  }

  /** The environment a process was started with ({@code NAME=value} strings), from {@code /proc/<pid>/environ}. */
  public static List<String> readEnviron(long pid) throws IOException {
    return nulSeparated(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")));
  }

  /**
   * Judges {@code pid} through a fresh open of its stat file (at daemon start, before a {@link ProcWatch} exists):
   * ENOENT is DEAD, a zombie or another start time is DEAD, any other error is UNKNOWN.
   */
  public static Evidence evidence(long pid, long expectedStart) {
    try {
      return Evidence.fromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"),
          StandardCharsets.US_ASCII), expectedStart);
    } catch (IOException e) {
      return Evidence.fromError(e);
    }
  }

  private static List<String> nulSeparated(byte[] raw) {
    String s = new String(raw, StandardCharsets.UTF_8);
    if (s.endsWith("\0")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\0", -1));
  }
}

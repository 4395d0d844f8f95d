package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * One reading of a process's {@code /proc/<pid>/stat}, judged. The decision is pure (text or error in, verdict out)
 * so it is tested without processes: only a successful read that shows the process gone, a zombie or another
 * process, or the kernel's own "no such process", is {@link Liveness#DEAD}; every other failure is
 * {@link Liveness#UNKNOWN}.
 *
 * @param liveness  the verdict
 * @param stopped   for ALIVE: the process is stopped by a signal (state {@code T}) or a tracer ({@code t})
 * @param startTime for ALIVE: field 22, the start time in clock ticks since boot
 * @param detail    for DEAD and UNKNOWN: what was seen (the error text, the state), for logs
 */
public record Evidence(Liveness liveness, boolean stopped, long startTime, String detail) {

  /** The kernel's text for ESRCH, which the JDK puts in the IOException of a read on a /proc fd whose process left. */
  private static final String ESRCH = "No such process";

  /** Decides from the text of {@code /proc/<pid>/stat}; {@code expectedStart} is 0 when not known yet. */
  public static Evidence fromStat(String stat, long expectedStart) {
    int close = stat.lastIndexOf(')');
    // proc(5): field 2 (comm) is in parentheses and may contain spaces; count fields after the last ')'.
    String[] rest = close < 0 || close + 2 > stat.length() ? new String[0]
        : stat.substring(close + 2).trim().split(" ");
    if (rest.length < 20 || rest[0].length() != 1) {
      return unknown("unreadable stat line: " + abbreviate(stat));
    }
    long start;
    try {
      start = Long.parseLong(rest[19]);
    } catch (NumberFormatException e) {
      return unknown("unreadable start time in stat line: " + abbreviate(stat));
    }
    char state = rest[0].charAt(0);
    if (state == 'Z' || state == 'X' || state == 'x') {
      return new Evidence(Liveness.DEAD, false, start, "exited (state " + state + ")");
    }
    if (expectedStart != 0 && start != expectedStart) {
      return new Evidence(Liveness.DEAD, false, start, "pid reused (start time " + start + ", ours "
          + expectedStart + ")");
    }
    return new Evidence(Liveness.ALIVE, state == 'T' || state == 't', start, null);
  }

  /**
   * Decides from a failed open or read. Opening {@code /proc/<pid>/...} by path fails with ENOENT when no process
   * has the pid; reading an already open {@code /proc} fd fails with ESRCH once its process is gone. Both are the
   * kernel's positive answer. Anything else (EMFILE, ENFILE, EACCES, EIO, ...) says nothing about the process.
   */
  public static Evidence fromError(IOException e) {
    if (e instanceof NoSuchFileException || ESRCH.equals(e.getMessage())) {
      return new Evidence(Liveness.DEAD, false, 0, "gone (" + e.getMessage() + ")");
    }
    return unknown(e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  /** Cannot tell, with what went wrong. */
  public static Evidence unknown(String why) {
    return new Evidence(Liveness.UNKNOWN, false, 0, why);
  }

  /**
   * True when {@code t} (or a cause) is a shortage of a host resource (descriptors, memory) rather than an answer
   * from the peer: a QMP connect that fails this way says nothing about QEMU.
   */
  public static boolean isExhaustion(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && (m.contains("Too many open files") || m.contains("Cannot allocate memory")
          || m.contains("EMFILE") || m.contains("ENFILE"))) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}

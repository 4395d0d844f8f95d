package io.vmsup.supervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * This JVM's JIT compiler threads ({@code C1/C2 CompilerThre...} in {@code /proc/self/task/TID/comm}) and their CPU
 * time: the compilers' own CPU, which the JVM's compilation time (elapsed, inflated on a loaded host) is not.
 */
final class JitThreads {

  /** Clock ticks per second of {@code /proc/.../stat} (USER_HZ; 100 on Linux). */
  private static final int HZ = 100;

  private JitThreads() {
  }

  /** The task ids of the JIT compiler threads now (empty when /proc cannot be read). */
  static List<String> tids() {
    List<String> out = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        String comm = read(t.resolve("comm"));
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
          out.add(t.getFileName().toString());
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return out;
  }

  /** The summed user + system CPU time of {@code tids}, in ms (a thread that ended counts 0 from then on). */
  static long cpuMs(List<String> tids) {
    long ticks = 0;
    for (String tid : tids) {
      String stat = read(Path.of("/proc/self/task", tid, "stat"));
      int close = stat.lastIndexOf(')');
      if (close < 0) {
        continue;
      }
      // after the command's closing parenthesis: state is field 3, utime 14 and stime 15
      String[] f = stat.substring(close + 2).split(" ");
      ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    return ticks * 1000 / HZ;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p).trim();
    } catch (IOException | RuntimeException gone) {
      return "";
    }
  }
}

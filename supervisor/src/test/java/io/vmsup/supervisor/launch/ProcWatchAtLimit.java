package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Run by {@link ProcWatchTest} in a JVM of its own: at the descriptor limit the daemon's one reserve descriptor still
 * tells alive from dead. In a test fork's JVM, threads left by other test classes open files too and could take the
 * number the reserve gives up (the probe then truthfully answers UNKNOWN); here nothing else opens files. Prints one
 * line per verdict ({@code alive ALIVE}, {@code gone DEAD}, {@code again ALIVE} when the reserve works) and its
 * detail.
 */
public final class ProcWatchAtLimit {

  private ProcWatchAtLimit() {
  }

  public static void main(String[] args) throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    Process victim = new ProcessBuilder("sleep", "60").start();
    long self = ProcessHandle.current().pid();
    String[] original = limits(self);
    List<FileChannel> held = new ArrayList<>();
    try {
      ProcWatch watch = ProcWatch.of(p.pid(), ProcFs.startTime(p.pid()).orElseThrow());
      ProcWatch dead = ProcWatch.of(victim.pid(), ProcFs.startTime(victim.pid()).orElseThrow());
      System.out.println("before " + watch.probe().liveness()); // the reserve is taken before the flood
      victim.destroyForcibly();
      victim.waitFor(10, TimeUnit.SECONDS);
      prlimit(self, (openDescriptors() + 16) + ":" + original[4]);
      exhaust(held);
      Evidence alive = watch.probe();
      Evidence gone = dead.probe();
      Evidence again = watch.probe();
      releaseAll(held, self, original);
      System.out.println("alive " + alive.liveness() + " " + alive.detail());
      System.out.println("gone " + gone.liveness() + " " + gone.detail());
      System.out.println("again " + again.liveness() + " " + again.detail());
    } finally {
      releaseAll(held, self, original);
      p.destroyForcibly();
      victim.destroyForcibly();
    }
  }

  private static void releaseAll(List<FileChannel> held, long self, String[] original) throws Exception {
    for (FileChannel c : held) {
      c.close();
    }
    held.clear();
    prlimit(self, original[3] + ":" + original[4]);
  }

  /** Opens /dev/null until the limit refuses (EMFILE), keeping every descriptor. */
  private static void exhaust(List<FileChannel> held) {
    for (int i = 0; i < 100_000; i++) {
      try {
        held.add(FileChannel.open(Path.of("/dev/null")));
      } catch (IOException full) {
        return;
      }
    }
    throw new IllegalStateException("no descriptor limit reached");
  }

  private static int openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    }
  }

  /** The "Max open files" line of /proc/<pid>/limits, split on blanks ([3] soft, [4] hard). */
  private static String[] limits(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")).stream()
        .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow().trim().split("\\s+");
  }

  private static void prlimit(long pid, String softHard) throws Exception {
    Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + softHard)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("prlimit: " + out);
    }
  }
}

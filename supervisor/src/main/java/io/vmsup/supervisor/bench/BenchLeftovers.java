package io.vmsup.supervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a bench leaves running when it ends, found by its directory in the command line. */
final class BenchLeftovers {

  private BenchLeftovers() {
  }

  /** Kills every process (QEMU) whose command line names {@code dir}, and waits for each to exit. */
  static void killUnder(Path dir) {
    String needle = dir.toString();
    ProcessHandle.allProcesses().filter(p -> cmdline(p.pid()).contains(needle)).forEach(p -> {
      p.destroyForcibly();
      p.onExit().join();
    });
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
    } catch (IOException gone) {
      return "";
    }
  }
}

package io.vmsup.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short host commands (qemu-img, ip, mkfifo) for the ITs; output goes to a file, failures throw. */
final class Commands {

  private Commands() {
  }

  static void run(List<String> command) {
    output(command);
  }

  /** Runs the command and returns what it printed (stdout and stderr); failures throw. */
  static String output(List<String> command) {
    try {
      Path out = Files.createTempFile("vmsup-cmd", ".log");
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(command + " exited " + p.exitValue() + ": "
              + Files.readString(out, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

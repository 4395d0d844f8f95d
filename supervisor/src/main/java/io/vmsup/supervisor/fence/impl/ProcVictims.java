package io.vmsup.supervisor.fence.impl;

import io.vmsup.config.QemuArgv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What {@code /proc} says about a process, for the watchdog's one question: is this pid still the QEMU of that VM?
 * A pid is reused once its process is gone, so the watchdog holds the start time it saw first and the VM's name on
 * QEMU's command line ({@code -name guest=NAME}, commas doubled) before it kills.
 */
final class ProcVictims {

  private ProcVictims() {
  }

  /** Field 22 of {@code /proc/<pid>/stat} (start time in clock ticks), or empty when the process is gone. */
  static OptionalLong startTime(long pid) throws IOException {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException gone) {
      return OptionalLong.empty();
    }
    // the command name (field 2) is in parentheses and may hold spaces or ')': count from the last ')'
    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // rest[0] is field 3 (state); a zombie is gone for us
    if (rest[0].equals("Z") || rest[0].equals("X")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(rest[19]));
  }

  /** Whether {@code /proc/<pid>/cmdline} holds QEMU's {@code guest=NAME} for {@code vm}. */
  static boolean namesVm(long pid, String vm) throws IOException {
    byte[] raw;
    try {
      raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    } catch (NoSuchFileException gone) {
      return false;
    }
    String prefix = "guest=" + QemuArgv.escape(vm);
    for (String arg : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      if (arg.startsWith(prefix)) {
        String rest = arg.substring(prefix.length());
        // QEMU's option syntax: ",," is a comma inside the value, "," alone starts the next option
        if (rest.isEmpty() || rest.startsWith(",") && !rest.startsWith(",,")) {
          return true;
        }
      }
    }
    return false;
  }
}

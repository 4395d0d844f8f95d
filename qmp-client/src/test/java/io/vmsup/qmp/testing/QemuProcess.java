package io.vmsup.qmp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code qemu-system-x86_64} with its QMP monitor on a unix socket, output in a log file. */
public final class QemuProcess implements AutoCloseable {

  private final Process process;
  private final Path socket;
  private final Path log;

  private QemuProcess(Process process, Path socket, Path log) {
    this.process = process;
    this.socket = socket;
    this.log = log;
  }

  /** Starts QEMU in {@code dir}; {@code machine} is for example {@code none} or {@code q35,accel=tcg}. */
  public static QemuProcess start(Path dir, String machine, String... extra) throws IOException {
    Path socket = dir.resolve("qmp.sock");
    Path log = dir.resolve("qemu.log");
    List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", machine, "-nodefaults",
        "-no-user-config", "-display", "none", "-qmp", "unix:" + socket + ",server=on,wait=off"));
    argv.addAll(List.of(extra));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new QemuProcess(p, socket, log);
  }

  public Path socket() {
    return socket;
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Sends a signal by name ({@code STOP}, {@code CONT}, {@code KILL}) with {@code kill(1)}. */
  public void signal(String name) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
    if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      try {
        signal("CONT");
      } catch (IOException e) {
        // already gone
      }
      process.destroyForcibly();
    }
    process.waitFor(10, TimeUnit.SECONDS);
  }
}

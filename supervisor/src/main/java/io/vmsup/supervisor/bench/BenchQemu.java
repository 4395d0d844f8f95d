package io.vmsup.supervisor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code qemu-system-x86_64 -machine none} with QMP on a socket in {@code dir}, its output in {@code dir/qemu.log}: the
 * one QEMU the benchmarks start by hand (the supervised ones come from the launcher).
 */
record BenchQemu(Process process, Path socket) implements AutoCloseable {

  static BenchQemu start(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path socket = dir.resolve("qmp.sock");
    Process p = new ProcessBuilder("qemu-system-x86_64", "-machine", "none", "-nodefaults", "-no-user-config",
        "-display", "none", "-qmp", "unix:" + socket + ",server=on,wait=off")
        .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
    return new BenchQemu(p, socket);
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    SupervisionRig.signal(process.pid(), "CONT");
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}

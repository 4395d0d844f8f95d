package io.vmsup.supervisor.bench;

import io.vmsup.config.QemuArgv;
import io.vmsup.config.RuntimeArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code qemu-system-x86_64 -machine none} with QMP on a socket in {@code dir}, its output in {@code dir/qemu.log}: the
 * one QEMU the benchmarks start by hand (the supervised ones come from the launcher).
 */
record BenchQemu(Process process, Path socket) implements AutoCloseable {

  static BenchQemu start(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path socket = dir.resolve("qmp.sock");
    List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "none", "-nodefaults",
        "-no-user-config", "-display", "none"));
    // the QMP socket as the launcher renders it: the one escaper, no hand-written option text
    argv.addAll(QemuArgv.runtimeArgs(new RuntimeArgs(socket, null, null)));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
    return new BenchQemu(p, socket);
  }

  /**
   * The daemon's own argv of a VM ({@code vmsup.vm.render}), its VM directory {@code vmDir} moved to {@code dir}: the
   * same QEMU as the supervised one (sandbox, accelerator, memory, chardevs), run as this user, in no cgroup.
   */
  static BenchQemu like(Path dir, List<String> argv, Path vmDir) throws Exception {
    Files.createDirectories(dir);
    List<String> moved = argv.stream().map(a -> a.replace(vmDir.toString(), dir.toString())).toList();
    Process p = new ProcessBuilder(moved).redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile())
        .start();
    return new BenchQemu(p, dir.resolve("qmp.sock"));
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

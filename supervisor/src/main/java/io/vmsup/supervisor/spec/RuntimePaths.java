package io.vmsup.supervisor.spec;

import java.nio.file.Path;

/**
 * Where one VM's QEMU puts its QMP socket, pid file, serial console and own output: all in the VM's directory. The
 * serial console is a socket chardev ({@code serialSocket}, the guest's input) that logs all output to
 * {@code serialLog}.
 */
public record RuntimePaths(Path qmpSocket, Path pidFile, Path serialLog, Path qemuLog, Path serialSocket) {

  public static RuntimePaths in(Path vmDir) {
    return new RuntimePaths(vmDir.resolve("qmp.sock"), vmDir.resolve("qemu.pid"), vmDir.resolve("serial.log"),
        vmDir.resolve("qemu.log"), vmDir.resolve("serial.sock"));
  }
}

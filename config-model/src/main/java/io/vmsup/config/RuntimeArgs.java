package io.vmsup.config;

import java.nio.file.Path;

/**
 * The runtime paths of one VM, owned by the supervisor, never by the spec; each may be null to leave it out. All but
 * {@code qemuLog} are rendered, by the same escaper as everything else:
 * {@code -chardev socket,id=vmsup-qmp,path=QMP,server=on,wait=off -mon chardev=vmsup-qmp,mode=control},
 * {@code -pidfile PID}, and the first serial port ({@code -serial chardev:vmsup-serial}) on either
 * {@code -chardev socket,id=vmsup-serial,path=SOCK,server=on,wait=off,logfile=LOG,logappend=on} (with a serial
 * socket: output always lands in the log, connected client or not, and a client can write the guest's input) or
 * {@code -chardev file,id=vmsup-serial,path=LOG} (output only). {@code qemuLog} receives QEMU's own output (the
 * launcher redirects stdout and stderr there); it is not an argument.
 *
 * @param qmpSocket    path where QEMU listens for QMP
 * @param pidFile      path where QEMU writes its pid
 * @param serialLog    file that receives the first serial port's output
 * @param serialSocket path where QEMU listens for the first serial port's input (needs {@code serialLog})
 * @param qemuLog      file that receives QEMU's own output (not rendered)
 * @param vmDir        the VM's directory: the disks the daemon makes ({@link Disk#managed()}) are rendered below it;
 *                     null renders them relative ({@code disks/<id>.qcow2}, QEMU's working directory)
 */
public record RuntimeArgs(Path qmpSocket, Path pidFile, Path serialLog, Path serialSocket, Path qemuLog, Path vmDir) {

  public RuntimeArgs {
    if (serialSocket != null && serialLog == null) {
      throw new IllegalArgumentException("a serial socket needs a serial log");
    }
  }

  /** Runtime arguments without the VM's directory. */
  public RuntimeArgs(Path qmpSocket, Path pidFile, Path serialLog, Path serialSocket, Path qemuLog) {
    this(qmpSocket, pidFile, serialLog, serialSocket, qemuLog, null);
  }

  /** Runtime arguments without a QEMU log. */
  public RuntimeArgs(Path qmpSocket, Path pidFile, Path serialLog, Path serialSocket) {
    this(qmpSocket, pidFile, serialLog, serialSocket, null);
  }

  /** Runtime arguments whose serial port only writes a file (no input). */
  public RuntimeArgs(Path qmpSocket, Path pidFile, Path serialLog) {
    this(qmpSocket, pidFile, serialLog, null, null);
  }

  /**
   * The supervisor's layout: everything in the VM's own directory ({@code qmp.sock}, {@code qemu.pid},
   * {@code serial.log} fed by the socket console {@code serial.sock}, {@code qemu.log}, and the disks it makes).
   *
   * @param vmDir the VM's directory (absolute, so the argv names the same files wherever QEMU runs)
   */
  public static RuntimeArgs in(Path vmDir) {
    return new RuntimeArgs(vmDir.resolve("qmp.sock"), vmDir.resolve("qemu.pid"), vmDir.resolve("serial.log"),
        vmDir.resolve("serial.sock"), vmDir.resolve("qemu.log"), vmDir);
  }

  /** No runtime arguments at all. */
  public static RuntimeArgs none() {
    return new RuntimeArgs(null, null, null, null, null, null);
  }
}

package io.vmsup.config;

import java.nio.file.Path;

/**
 * Arguments owned by the supervisor, never by the spec; each may be null to leave it out. Rendered by the same
 * escaper as everything else:
 * {@code -chardev socket,id=vmsup-qmp,path=QMP,server=on,wait=off -mon chardev=vmsup-qmp,mode=control},
 * {@code -pidfile PID}, and the first serial port ({@code -serial chardev:vmsup-serial}) on either
 * {@code -chardev socket,id=vmsup-serial,path=SOCK,server=on,wait=off,logfile=LOG,logappend=on} (with a serial
 * socket: output always lands in the log, connected client or not, and a client can write the guest's input) or
 * {@code -chardev file,id=vmsup-serial,path=LOG} (output only).
 *
 * @param qmpSocket    path where QEMU listens for QMP
 * @param pidFile      path where QEMU writes its pid
 * @param serialLog    file that receives the first serial port's output
 * @param serialSocket path where QEMU listens for the first serial port's input (needs {@code serialLog})
 */
public record RuntimeArgs(Path qmpSocket, Path pidFile, Path serialLog, Path serialSocket) {

  public RuntimeArgs {
    if (serialSocket != null && serialLog == null) {
      throw new IllegalArgumentException("a serial socket needs a serial log");
    }
  }

  /** Runtime arguments whose serial port only writes a file (no input). */
  public RuntimeArgs(Path qmpSocket, Path pidFile, Path serialLog) {
    this(qmpSocket, pidFile, serialLog, null);
  }

  /** No runtime arguments at all. */
  public static RuntimeArgs none() {
    return new RuntimeArgs(null, null, null, null);
  }
}

package io.vmsup.config;

import java.nio.file.Path;

/**
 * Arguments owned by the supervisor, never by the spec; each may be null to leave it out. Rendered by the same
 * escaper as everything else:
 * {@code -chardev socket,id=vmsup-qmp,path=QMP,server=on,wait=off -mon chardev=vmsup-qmp,mode=control},
 * {@code -pidfile PID}, {@code -chardev file,id=vmsup-serial,path=LOG -serial chardev:vmsup-serial}.
 *
 * @param qmpSocket path where QEMU listens for QMP
 * @param pidFile   path where QEMU writes its pid
 * @param serialLog file that receives the first serial port's output
 */
public record RuntimeArgs(Path qmpSocket, Path pidFile, Path serialLog) {

  /** No runtime arguments at all. */
  public static RuntimeArgs none() {
    return new RuntimeArgs(null, null, null);
  }
}

package io.vmsup.supervisor.vm;

import io.vmsup.supervisor.launch.Evidence;
import io.vmsup.supervisor.launch.Liveness;
import io.vmsup.supervisor.launch.ProcFs;
import java.io.IOException;
import java.util.List;

/**
 * The QEMU processes on this host at daemon start (blocking: reads /proc). Each command line is read once here, by
 * vmsup itself: the JDK's {@code ProcessHandle.info()} answers "unknown" for any error, EMFILE included, which would
 * hide a QEMU. A process whose command line cannot be read is kept (the caller reads it again and tells "gone" from
 * "cannot tell"); one proven gone is dropped.
 */
public final class Candidates {

  private Candidates() {
  }

  public static List<ProcessHandle> qemuProcesses() {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses().filter(p -> p.pid() != self && mayBeQemu(p.pid())).toList();
  }

  private static boolean mayBeQemu(long pid) {
    try {
      return ProcFs.readCmdline(pid).stream().anyMatch(a -> a.contains("qemu"));
    } catch (IOException e) {
      return Evidence.fromError(e).liveness() == Liveness.UNKNOWN;
    }
  }
}

package io.vmsup.supervisor.vm;

import java.util.List;

/**
 * The QEMU processes on this host at daemon start (blocking: reads /proc). A process whose command cannot be read
 * (the JDK answers "unknown" for any error, EMFILE included) is kept: the caller reads its command line itself and
 * tells "gone" from "cannot tell".
 */
public final class Candidates {

  private Candidates() {
  }

  public static List<ProcessHandle> qemuProcesses() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.contains("qemu")).orElse(true))
        .toList();
  }
}

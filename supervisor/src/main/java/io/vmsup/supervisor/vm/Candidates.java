package io.vmsup.supervisor.vm;

import java.util.List;

/** The QEMU processes on this host at daemon start (blocking: reads /proc). */
public final class Candidates {

  private Candidates() {
  }

  public static List<ProcessHandle> qemuProcesses() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.contains("qemu")).orElse(false))
        .toList();
  }
}

package io.vmsup.supervisor.vm;

import io.vmsup.supervisor.launch.ProcFs;
import io.vmsup.supervisor.store.RuntimeRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Decides, at daemon start, what a VM's recorded QEMU is now (blocking: reads {@code /proc}). A process is ours only
 * when the recorded pid is alive with the recorded start time AND its command line names our QMP socket, like
 * libvirt does; then it is adopted. Anything else that names our socket cannot be proven ours: never adopted, never
 * started a second time.
 */
final class Reattach {

  /** The outcome for one VM. */
  enum Verdict {
    /** Our QEMU still runs: adopt it. */
    ADOPT,
    /** No QEMU of ours runs. */
    GONE,
    /** A process names our socket but is not the one we recorded. */
    UNVERIFIED
  }

  /** The verdict, the pid it is about (0 for GONE) and, for ADOPT, the live process. */
  record Found(Verdict verdict, long pid, ProcessHandle handle) {
  }

  private Reattach() {
  }

  static Found check(RuntimeRecord record, Path socket, List<ProcessHandle> candidates) {
    String needle = socket.toString().replace(",", ",,");
    if (record != null) {
      OptionalLong start = ProcFs.startTime(record.pid());
      if (start.isPresent() && start.getAsLong() == record.procStartTime()) {
        boolean named = ProcFs.cmdline(record.pid()).stream().anyMatch(a -> a.contains(needle));
        ProcessHandle handle = ProcessHandle.of(record.pid()).orElse(null);
        if (named && handle != null) {
          return new Found(Verdict.ADOPT, record.pid(), handle);
        }
        return new Found(handle == null ? Verdict.GONE : Verdict.UNVERIFIED, handle == null ? 0 : record.pid(),
            null);
      }
    }
    for (ProcessHandle p : candidates) {
      if (ProcFs.cmdline(p.pid()).stream().anyMatch(a -> a.contains(needle))) {
        return new Found(Verdict.UNVERIFIED, p.pid(), null);
      }
    }
    return new Found(Verdict.GONE, 0, null);
  }
}

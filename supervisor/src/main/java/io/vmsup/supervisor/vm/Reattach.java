package io.vmsup.supervisor.vm;

import io.vmsup.config.QemuArgv;
import io.vmsup.supervisor.launch.Evidence;
import io.vmsup.supervisor.launch.Liveness;
import io.vmsup.supervisor.launch.ProcFs;
import io.vmsup.supervisor.launch.ProcWatch;
import io.vmsup.supervisor.launch.QemuLauncher;
import io.vmsup.supervisor.store.RuntimeRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Decides, at daemon start, what a VM's recorded QEMU is now (blocking: reads {@code /proc}). A process is ours when
 * the recorded pid is alive with the recorded start time and its command line names our QMP socket, like libvirt
 * does; or, after an intent record (the daemon died between writing it and recording the pid), when a process
 * naming our socket carries the intent's nonce in its environment. Then it is adopted, with a {@link ProcWatch} that
 * checks, at every probe, the start time seen here (it holds no descriptor). A process naming our socket with another vmsup nonce is a stale incarnation of this VM: killed. Any
 * other process naming our socket cannot be proven ours: never adopted, never started a second time. When the
 * evidence cannot be read (EMFILE, EACCES, ...) the verdict is UNKNOWN, never GONE.
 */
final class Reattach {

  /** The outcome for one VM. */
  enum Verdict {
    /** Our QEMU still runs: adopt it. */
    ADOPT,
    /** No QEMU of ours runs. */
    GONE,
    /** A process names our socket but is not the one we recorded. */
    UNVERIFIED,
    /** A stale QEMU of this VM (another incarnation's nonce) was found and killed. */
    KILLED,
    /** The evidence could not be read: try again later. */
    UNKNOWN
  }

  /** The verdict, the pid it is about (0 for GONE) and, for ADOPT, the live process and its open watch. */
  record Found(Verdict verdict, long pid, ProcessHandle handle, ProcWatch watch, long procStartTime, String detail) {

    static Found of(Verdict v, long pid, String detail) {
      return new Found(v, pid, null, null, 0, detail);
    }
  }

  private static final long KILL_WAIT_MS = 5000;

  private Reattach() {
  }

  static Found check(RuntimeRecord record, Path socket, Candidates candidates) {
    String needle = QemuArgv.escape(socket.toString());
    if (record != null && !record.isIntent()) {
      Found byPid = byRecordedPid(record, needle);
      if (byPid != null) {
        return byPid;
      }
    }
    String nonce = record == null ? null : record.nonce();
    boolean unknown = false;
    String why = null;
    // only the processes whose command line named the socket at the scan (or could not be read) are read again
    for (ProcessHandle p : candidates.mayName(needle)) {
      try {
        if (ProcFs.readCmdline(p.pid()).stream().noneMatch(a -> a.contains(needle))) {
          continue;
        }
        String carried = incarnation(ProcFs.readEnviron(p.pid()));
        if (nonce != null && nonce.equals(carried)) {
          Found adopted = adoptByNonce(p.pid());
          if (adopted.verdict() != Verdict.GONE) {
            return adopted;
          }
        } else if (carried != null) {
          return kill(p.pid(), carried);
        } else {
          return Found.of(Verdict.UNVERIFIED, p.pid(), "names the socket, carries no vmsup nonce");
        }
      } catch (IOException e) {
        if (Evidence.fromError(e).liveness() == Liveness.UNKNOWN) {
          unknown = true;
          why = "pid " + p.pid() + ": " + e;
        }
      }
    }
    return unknown ? Found.of(Verdict.UNKNOWN, 0, why) : Found.of(Verdict.GONE, 0, null);
  }

  /** ADOPT, UNVERIFIED or UNKNOWN for the recorded pid; null when it is proven gone (then the candidates decide). */
  private static Found byRecordedPid(RuntimeRecord record, String needle) {
    ProcWatch watch = ProcWatch.of(record.pid(), record.procStartTime());
    Evidence ev = watch.probe();
    if (ev.liveness() != Liveness.ALIVE) {
      return ev.liveness() == Liveness.DEAD ? null : Found.of(Verdict.UNKNOWN, record.pid(), ev.detail());
    }
    try {
      boolean named = ProcFs.readCmdline(record.pid()).stream().anyMatch(a -> a.contains(needle));
      ProcessHandle handle = ProcessHandle.of(record.pid()).orElse(null);
      if (named && handle != null) {
        return new Found(Verdict.ADOPT, record.pid(), handle, watch, record.procStartTime(), null);
      }
      return named ? Found.of(Verdict.UNKNOWN, record.pid(), "the JDK cannot see the process")
          : Found.of(Verdict.UNVERIFIED, record.pid(), "recorded pid runs another command line");
    } catch (IOException e) {
      Evidence cmd = Evidence.fromError(e);
      return cmd.liveness() == Liveness.DEAD ? null : Found.of(Verdict.UNKNOWN, record.pid(), cmd.detail());
    }
  }

  private static Found adoptByNonce(long pid) {
    ProcWatch watch = ProcWatch.of(pid, 0);
    Evidence ev = watch.probe();
    ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
    if (ev.liveness() == Liveness.ALIVE && handle != null) {
      return new Found(Verdict.ADOPT, pid, handle, watch, ev.startTime(), "found by the intent's nonce");
    }
    return ev.liveness() == Liveness.DEAD ? Found.of(Verdict.GONE, 0, null)
        : Found.of(Verdict.UNKNOWN, pid, ev.detail());
  }

  /** SIGKILL for a QEMU of this VM from another incarnation, then waits (bounded) for the proof of its death. */
  private static Found kill(long pid, String carried) {
    ProcWatch watch = ProcWatch.of(pid, 0);
    if (watch.probe().liveness() == Liveness.DEAD) {
      return Found.of(Verdict.KILLED, pid, "stale incarnation " + carried + " (gone already)");
    }
    try {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      long deadline = System.nanoTime() + KILL_WAIT_MS * 1_000_000;
      while (watch.probe().liveness() != Liveness.DEAD) {
        if (System.nanoTime() > deadline) {
          return Found.of(Verdict.UNVERIFIED, pid, "stale incarnation " + carried + " survived SIGKILL");
        }
        Thread.sleep(10); // a worker thread at daemon start, not an event loop
      }
      return Found.of(Verdict.KILLED, pid, "stale incarnation " + carried);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Found.of(Verdict.UNKNOWN, pid, "interrupted");
    }
  }

  private static String incarnation(List<String> environ) {
    String prefix = QemuLauncher.INCARNATION_ENV + "=";
    return environ.stream().filter(e -> e.startsWith(prefix)).map(e -> e.substring(prefix.length())).findFirst()
        .orElse(null);
  }
}

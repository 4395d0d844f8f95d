package io.vmsup.supervisor.vm;

import io.vmsup.supervisor.launch.Evidence;
import io.vmsup.supervisor.launch.Liveness;
import io.vmsup.supervisor.launch.ProcFs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The QEMU processes on this host at daemon start (blocking: reads /proc). Each command line is read once here, by
 * vmsup itself: the JDK's {@code ProcessHandle.info()} answers "unknown" for any error, EMFILE included, which would
 * hide a QEMU. A process whose command line cannot be read is kept (the caller reads it again and tells "gone" from
 * "cannot tell"); one proven gone is dropped.
 *
 * <p>Each VM asks which of them may name its QMP socket ({@link #mayName}): with 10,000 QEMUs on the host, a VM
 * without a live recorded pid (every stopped VM) would otherwise read every process's command line again, 10,000 VMs
 * 10<sup>8</sup> reads. The command lines read here are indexed by the characters that end each mention of a QMP
 * socket file, so the answer is a lookup plus the processes that could not be read.
 */
public final class Candidates {

  /** The file name every VM's QMP socket has ({@code RuntimeArgs}). */
  static final String SOCKET_FILE = "qmp.sock";
  /** How many characters, ending with {@link #SOCKET_FILE}, key the index (the file name and the VM's directory). */
  static final int KEY = 24;

  /** Every process read, with its command line's arguments joined by NUL. */
  private final List<Seen> readable;
  /** The last {@link #KEY} characters up to each end of {@link #SOCKET_FILE} in a command line → the processes. */
  private final Map<String, List<Seen>> bySocketTail = new HashMap<>();
  private final List<ProcessHandle> unreadable;

  private record Seen(ProcessHandle handle, String joined) {
  }

  private Candidates(List<Seen> readable, List<ProcessHandle> unreadable) {
    this.readable = readable;
    this.unreadable = unreadable;
    for (Seen s : readable) {
      for (int at = s.joined.indexOf(SOCKET_FILE); at >= 0; at = s.joined.indexOf(SOCKET_FILE, at + 1)) {
        int end = at + SOCKET_FILE.length();
        if (end >= KEY) {
          List<Seen> list = bySocketTail.computeIfAbsent(s.joined.substring(end - KEY, end), k -> new ArrayList<>());
          if (!list.contains(s)) {
            list.add(s);
          }
        }
      }
    }
  }

  /** No process: for a new VM, which has nothing to re-attach. */
  public static Candidates none() {
    return new Candidates(List.of(), List.of());
  }

  /** Reads every process's command line once (blocking); keeps those naming qemu and those that cannot be read. */
  public static Candidates qemuProcesses() {
    long self = ProcessHandle.current().pid();
    List<Seen> readable = new ArrayList<>();
    List<ProcessHandle> unreadable = new ArrayList<>();
    ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
      try {
        List<String> argv = ProcFs.readCmdline(p.pid());
        if (argv.stream().anyMatch(a -> a.contains("qemu"))) {
          readable.add(new Seen(p, String.join("\0", argv)));
        }
      } catch (IOException e) {
        if (Evidence.fromError(e).liveness() == Liveness.UNKNOWN) {
          unreadable.add(p);
        }
      }
    });
    return new Candidates(readable, unreadable);
  }

  /**
   * The processes that may name {@code needle} (a QMP socket's path as QEMU's command line writes it): those whose
   * command line held it when read at the scan, and every one whose command line could not be read. The caller
   * reads each again (a process may have gone since).
   */
  public List<ProcessHandle> mayName(String needle) {
    List<ProcessHandle> out = new ArrayList<>(unreadable);
    if (needle.endsWith(SOCKET_FILE) && needle.length() >= KEY) {
      for (Seen s : bySocketTail.getOrDefault(needle.substring(needle.length() - KEY), List.of())) {
        if (s.joined.contains(needle)) {
          out.add(s.handle);
        }
      }
    } else {
      readable.stream().filter(s -> s.joined.contains(needle)).forEach(s -> out.add(s.handle));
    }
    return out;
  }

  /** How many processes the scan kept. */
  public int size() {
    return readable.size() + unreadable.size();
  }
}

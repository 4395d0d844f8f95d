package io.vmsup.supervisor.launch;

import io.vmsup.config.RuntimeArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Starts QEMU through the daemon's {@link Spawner} (no JVM thread per VM). Blocking: call from
 * {@code executeBlocking}.
 *
 * <p>QEMU leads a session and group of its own (setsid(2) in the spawner's child, then exec in place: the pid we get
 * is QEMU's own), so a Ctrl-C on the daemon's terminal never reaches the VMs. Output goes to a per-VM log file
 * (never a pipe: a dead daemon must not SIGPIPE its VMs), rotated by size at each start.
 */
public final class QemuLauncher {

  /** The line written to the log before each start; {@link #lastRunTail} reads from the last one. */
  public static final String MARK = "=== vmsup: starting QEMU";

  private QemuLauncher() {
  }

  /** The environment variable that carries the incarnation's nonce, readable in {@code /proc/<pid>/environ}. */
  public static final String INCARNATION_ENV = "VMSUP_INCARNATION";

  public static Spawned spawn(List<String> argv, RuntimeArgs paths) throws IOException {
    return spawn(argv, paths, null);
  }

  /**
   * Starts QEMU with {@code nonce} (when not null) in its environment as {@link #INCARNATION_ENV}: the intent record
   * written before the spawn names it, so a daemon killed before it recorded the pid lets the next daemon prove the
   * QEMU is this VM's (the argv stays exactly what {@code render} prints).
   */
  public static Spawned spawn(List<String> argv, RuntimeArgs paths, String nonce) throws IOException {
    prepare(paths);
    return exec(argv, paths, nonce);
  }

  /**
   * What a spawn finds ready, done apart from it (a start does it while its records are written): the last QEMU's
   * socket and pid file gone, the logs rotated, the QEMU log present. Spawns nothing.
   */
  public static void prepare(RuntimeArgs paths) throws IOException {
    Files.deleteIfExists(paths.qmpSocket());
    Files.deleteIfExists(paths.pidFile());
    Path log = paths.qemuLog();
    LogFiles.rotate(log, LogFiles.ROTATE_BYTES, LogFiles.KEEP);
    // QEMU appends to the serial log (logappend=on); the console follower reads a smaller file from its start
    LogFiles.rotate(paths.serialLog(), LogFiles.ROTATE_BYTES, LogFiles.KEEP);
    if (!Files.exists(log)) {
      Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
  }

  /** The spawn itself, after {@link #prepare}: the start's mark in the log, then QEMU through the spawner. */
  public static Spawned exec(List<String> argv, RuntimeArgs paths, String nonce) throws IOException {
    Path log = paths.qemuLog();
    Files.writeString(log, MARK + " at " + Instant.now() + ": " + String.join(" ", argv) + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    // QEMU opens a bare file name (romfile=NAME, -bios NAME) from its working directory before its data directory:
    // the VM's own directory, never the daemon's (which could be /etc or the state directory with the tokens)
    Spawner.Child p = Spawner.shared().spawn(argv, log.getParent(), log,
        nonce == null ? Map.of() : Map.of(INCARNATION_ENV, nonce));
    // no descriptor is held: the watch reads /proc by path and pins the start time it sees now
    ProcWatch watch = ProcWatch.of(p.pid(), 0);
    Evidence e = watch.probe();
    long start = e.liveness() == Liveness.ALIVE ? e.startTime() : 0;
    return new Spawned(p.pid(), ProcessHandle.of(p.pid()).orElse(null), p.exit(), start, watch);
  }

  /** The last {@code lines} lines QEMU wrote since its last start. */
  public static List<String> lastRunTail(Path log, int lines) {
    List<String> tail = LogFiles.tail(log, lines + 1);
    int mark = -1;
    for (int i = 0; i < tail.size(); i++) {
      if (tail.get(i).startsWith(MARK)) {
        mark = i;
      }
    }
    List<String> out = tail.subList(mark + 1, tail.size());
    return List.copyOf(out.subList(Math.max(0, out.size() - lines), out.size()));
  }
}

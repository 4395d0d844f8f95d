package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The liveness watch of one process, holding no descriptor: each probe opens {@code /proc/<pid>/stat} by path, reads
 * it and closes it again, and compares field 22 (the start time in clock ticks since boot) with the one recorded at
 * spawn or adoption. A pid and its start time name one process for the life of the host, so a reused pid reads as
 * DEAD (of the old process), never as ALIVE. A watch created without a start time pins the one its first live read
 * sees (at spawn, before the pid could be reused). Ten thousand watched VMs cost no descriptor at rest (the open file
 * that used to be held per VM was half the daemon's descriptors at scale). ENOENT and a zombie are DEAD; any other
 * failure (EACCES, EIO, ...) is UNKNOWN. At EMFILE the daemon's one reserve descriptor is given up for the read and
 * taken again after it; only when that fails too is the answer UNKNOWN. Blocking (a /proc read): call on a worker.
 * One prober per watch at a time.
 */
public final class ProcWatch {

  private static final int MAX_STAT = 4096;
  // one buffer per probing thread, not per process: 4 KiB less heap for each supervised VM
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(MAX_STAT));

  private static final Path PROC = Path.of("/proc");
  private static final Path NULL = Path.of("/dev/null");
  // one descriptor for the whole daemon, not one per VM: given up for a probe when the table is full (EMFILE), so a
  // descriptor flood cannot blind the liveness watch; guarded by its own lock, taken only at EMFILE
  private static final Object RESERVE_LOCK = new Object();
  private static FileChannel reserve = openQuietly(NULL);

  private final Path root;
  private final long pid;
  private long expectedStart;

  private ProcWatch(Path root, long pid, long expectedStart) {
    this.root = root;
    this.pid = pid;
    this.expectedStart = expectedStart;
  }

  /**
   * The watch of {@code pid}; {@code expectedStart} (0 = not known yet: pinned by the first live probe) is checked at
   * every probe, so a watch of a pid reused since reports DEAD rather than watching a stranger. No I/O.
   */
  public static ProcWatch of(long pid, long expectedStart) {
    return new ProcWatch(PROC, pid, expectedStart);
  }

  /** A watch that reads {@code <root>/<pid>/stat} (tests: a real I/O error on an entry of one's own making). */
  static ProcWatch under(Path root, long pid, long expectedStart) {
    return new ProcWatch(root, pid, expectedStart);
  }

  public long pid() {
    return pid;
  }

  /** The start time this watch checks (0 while not pinned yet). */
  public long expectedStart() {
    return expectedStart;
  }

  /** Reads the stat file by path and judges it; never throws. */
  public Evidence probe() {
    Evidence e;
    try {
      e = read();
    } catch (IOException full) {
      e = full.getMessage() != null && full.getMessage().contains("Too many open files") ? throughReserve(full)
          : Evidence.fromError(full);
    } catch (RuntimeException ex) {
      e = Evidence.unknown(ex.toString());
    }
    if (expectedStart == 0 && e.liveness() == Liveness.ALIVE) {
      expectedStart = e.startTime();
    }
    return e;
  }

  private Evidence read() throws IOException {
    ByteBuffer buffer = BUFFER.get();
    buffer.clear();
    try (FileChannel channel = FileChannel.open(root.resolve(Long.toString(pid)).resolve("stat"))) {
      while (channel.read(buffer) > 0 && buffer.hasRemaining()) {
        // a stat line is read whole in one call; loop for safety
      }
    }
    String stat = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    return Evidence.fromStat(stat, expectedStart);
  }

  // EMFILE: the reserve descriptor makes room for this one read (the lowest free number is the one just closed)
  private Evidence throughReserve(IOException full) {
    synchronized (RESERVE_LOCK) {
      if (reserve == null) {
        reserve = openQuietly(NULL);
        if (reserve == null) {
          return Evidence.fromError(full);
        }
      }
      try {
        reserve.close();
        reserve = null;
        return read();
      } catch (IOException e) {
        return Evidence.fromError(e);
      } finally {
        if (reserve == null) {
          reserve = openQuietly(NULL);
        }
      }
    }
  }

  private static FileChannel openQuietly(Path path) {
    try {
      return FileChannel.open(path);
    } catch (IOException e) {
      return null; // no reserve now: tried again at the next EMFILE
    }
  }
}

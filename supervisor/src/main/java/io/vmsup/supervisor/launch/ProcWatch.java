package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A descriptor on {@code /proc/<pid>/stat} of one process, opened once (at spawn or adoption) and re-read from
 * position 0 at each probe. The open file is bound to that very process, not to its number: once the process is
 * gone a read fails with ESRCH, even if the pid was reused. So a probe needs no new descriptor (descriptor
 * exhaustion elsewhere in the daemon cannot blind it) and cannot be fooled by pid reuse. Blocking (a /proc read):
 * call on a worker. Not thread-safe: one prober at a time.
 */
public final class ProcWatch implements AutoCloseable {

  private static final int MAX_STAT = 4096;

  private final long pid;
  private final long expectedStart;
  private final FileChannel channel;
  // one buffer per probing thread, not per process: 4 KiB less heap for each supervised VM
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(MAX_STAT));

  private ProcWatch(long pid, long expectedStart, FileChannel channel) {
    this.pid = pid;
    this.expectedStart = expectedStart;
    this.channel = channel;
  }

  /**
   * Opens the watch of {@code pid}; {@code expectedStart} (0 = not known) is checked at every probe, so a watch
   * opened after the pid was reused reports DEAD rather than watching a stranger.
   *
   * @throws IOException when {@code /proc/<pid>/stat} cannot be opened: {@link Evidence#fromError} judges it
   */
  public static ProcWatch open(long pid, long expectedStart) throws IOException {
    return new ProcWatch(pid, expectedStart, FileChannel.open(Path.of("/proc", Long.toString(pid), "stat")));
  }

  public long pid() {
    return pid;
  }

  /** Reads the stat line again and judges it; never throws. */
  public Evidence probe() {
    ByteBuffer buffer = BUFFER.get();
    buffer.clear();
    try {
      int n;
      long pos = 0;
      while ((n = channel.read(buffer, pos)) > 0 && buffer.hasRemaining()) {
        pos += n;
      }
      String stat = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
      return Evidence.fromStat(stat, expectedStart);
    } catch (IOException e) {
      return Evidence.fromError(e);
    } catch (RuntimeException e) {
      return Evidence.unknown(e.toString());
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // a close error leaves nothing to do
    }
  }
}

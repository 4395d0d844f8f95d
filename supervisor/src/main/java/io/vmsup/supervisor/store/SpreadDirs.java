package io.vmsup.supervisor.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Marks a directory of many subdirectories (the state directory's {@code vms/}) as a top of a directory hierarchy
 * for ext2/3/4 ({@code chattr +T}): the file system's Orlov allocator then places each new subdirectory, and so the
 * files made in it, in a block group of its own choosing instead of the parent's. On an ext4 without a journal (this
 * project's build machine) every new inode skips the free inodes of its block group deleted in the last 5-10 s, one
 * buffer lookup each: with every VM in one group, a burst of starts right after deletes paid ~2.5-8 ms of kernel CPU
 * per VM for its ten files (docs/benchmarks.md, session 8); spread, ~0.3 ms. On a journaled ext4 that check does not
 * run and the flag only spreads the directories. Other file systems do not know the flag: nothing is done there.
 * Blocking (runs {@code chattr} once).
 */
public final class SpreadDirs {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(SpreadDirs.class.getName());
  private static final Set<String> EXT = Set.of("ext2", "ext3", "ext4");
  private static final long WAIT_SECONDS = 10;

  private SpreadDirs() {
  }

  /**
   * Sets the flag on {@code dir} when it is on ext2/3/4; true when it is set, false when the file system has no such
   * flag or it could not be set (logged: only new subdirectories' placement depends on it, never correctness).
   */
  public static boolean mark(Path dir) {
    try {
      if (!EXT.contains(Files.getFileStore(dir).type())) {
        return false;
      }
      Process p = new ProcessBuilder("chattr", "+T", dir.toString()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      // its few words fit in the pipe: read after the end, so a chattr that hangs cannot hold the caller
      if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        LOG.warning("chattr +T " + dir + " did not end within " + WAIT_SECONDS + " s: VM directories not spread");
        return false;
      }
      if (p.exitValue() != 0) {
        byte[] said = p.getInputStream().readNBytes(4096);
        LOG.warning("chattr +T " + dir + " failed (exit " + p.exitValue() + ": "
            + new String(said, StandardCharsets.UTF_8).trim() + "): VM directories not spread");
        return false;
      }
      return true;
    } catch (IOException e) {
      LOG.warning("cannot run chattr +T " + dir + " (" + AtomicFiles.reason(e) + "): VM directories not spread");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.channels.FileChannel;
import java.util.Set;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** QEMU's per-VM output log: rotated by size at each start, the tail read for failure reports. Blocking. */
public final class LogFiles {

  /** A log at least this large is rotated when QEMU starts. */
  public static final long ROTATE_BYTES = 1024 * 1024;
  /** Generations kept at start: {@code qemu.log.1} … {@code qemu.log.3}. */
  public static final int KEEP = 3;

  private LogFiles() {
  }

  /** Shifts {@code log} to {@code log.1} (and older ones up, dropping the last) when it reached {@code limit}. */
  public static void rotate(Path log, long limit, int keep) throws IOException {
    if (plainSize(log) < limit) {
      return;
    }
    Files.deleteIfExists(generation(log, keep));
    for (int i = keep - 1; i >= 1; i--) {
      Path from = generation(log, i);
      if (Files.exists(from)) {
        Files.move(from, generation(log, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(log, generation(log, 1), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Caps a log a running QEMU appends to (O_APPEND: QEMU's stdout/stderr redirection, the serial chardev's
   * {@code logappend=on}): when it reached {@code limit}, older generations shift up (the last dropped), the log is
   * copied to {@code log.1} and truncated to 0 in place, so QEMU's next write lands at offset 0 of the same file.
   * Bytes QEMU appends after the copy and before the truncation are copied too, up to the instant of the truncation.
   * When the copy fails (a full disk) the log is truncated anyway: the cap wins over history. Blocking.
   *
   * @return true when the log was rotated
   */
  public static boolean capRunning(Path log, long limit, int keep) throws IOException {
    if (plainSize(log) < limit) {
      return false;
    }
    Files.deleteIfExists(generation(log, keep));
    for (int i = keep - 1; i >= 1; i--) {
      Path from = generation(log, i);
      if (Files.exists(from)) {
        Files.move(from, generation(log, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path first = generation(log, 1);
    // a confined QEMU may create files in its directory: whatever it put at log.1 meanwhile (a symbolic link to a
    // host file) goes, and the copy is a new file, opened without following links (O_EXCL, O_NOFOLLOW)
    Files.deleteIfExists(first);
    try (FileChannel live = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      try (FileChannel copy = FileChannel.open(first, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rw-------")))) {
        long done = 0;
        // until nothing new arrived: what QEMU appends while we copy is copied as well
        for (long size = live.size(); done < size; size = live.size()) {
          done += live.transferTo(done, size - done, copy);
        }
      } catch (IOException full) {
        Files.deleteIfExists(first);
        live.truncate(0);
        throw new IOException("could not copy " + log + " to " + first + " (" + full.getMessage()
            + "); truncated it without a copy", full);
      }
      live.truncate(0);
    }
    return true;
  }

  /**
   * The size of {@code log}, or -1 when there is no log to rotate: none, or something other than a regular file at
   * its name. The serial log
   * is created by QEMU, under a confined VM's own uid in a directory that uid may write: a symbolic link put there
   * (to another VM's disk, to /etc/shadow) would have the daemon, as root, truncate or copy the host file it names,
   * or hand it out as the VM's serial output. A link is removed (QEMU creates a new log at its next start); the
   * checks never follow links.
   */
  private static long plainSize(Path log) throws IOException {
    // one lstat (the periodic pass looks at every VM's two logs every 10 s: 20,000 at 10,000 VMs)
    java.nio.file.attribute.BasicFileAttributes a;
    try {
      a = Files.readAttributes(log, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException none) {
      return -1;
    }
    if (a.isSymbolicLink()) {
      Files.deleteIfExists(log);
      return -1;
    }
    return a.isRegularFile() ? a.size() : -1;
  }

  static Path generation(Path log, int n) {
    return log.resolveSibling(log.getFileName() + "." + n);
  }

  /** The newest rotated generation of {@code log} ({@code log.1}). */
  public static Path previous(Path log) {
    return generation(log, 1);
  }

  /** The last {@code lines} lines of {@code log} (reads at most the last 16 KiB); empty when missing. */
  public static List<String> tail(Path log, int lines) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 16 * 1024);
      byte[] buf = new byte[n];
      f.seek(len - n);
      f.readFully(buf);
      List<String> all = new ArrayList<>(Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\r?\n")));
      all.removeIf(String::isBlank);
      return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException missing) {
      return List.of();
    }
  }
}

package io.vmsup.supervisor.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The inotify watches this JVM holds, read from {@code /proc/self/fdinfo} (one {@code inotify wd:..} line per watch,
 * with the watched inode and the event mask): what the kernel says, no hook in the daemon's code.
 */
public final class InotifyWatches {

  /**
   * IN_CREATE | IN_MOVED_TO | IN_MODIFY | IN_ATTRIB: the JDK's ENTRY_CREATE and ENTRY_MODIFY, what the daemon's one
   * VM directory watch ({@link DirWatch}) asks for.
   */
  public static final long DIR_WATCH = 0x100 | 0x80 | 0x2 | 0x4;

  private InotifyWatches() {
  }

  /** How many watches on {@code dir} have exactly the event mask {@code mask}. */
  public static long on(Path dir, long mask) throws IOException {
    long ino = ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
    return masks(ino).stream().filter(m -> m == mask).count();
  }

  /** How many watches on {@code dir} this JVM holds, whatever their masks and inotify instances. */
  public static long on(Path dir) throws IOException {
    long ino = ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
    return masks(ino).size();
  }

  private static List<Long> masks(long ino) throws IOException {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (!target.equals("anon_inode:inotify")) {
          continue;
        }
        List<String> lines;
        try {
          lines = Files.readAllLines(Path.of("/proc/self/fdinfo").resolve(fd.getFileName()));
        } catch (IOException closedMeanwhile) {
          continue;
        }
        for (String line : lines) {
          if (line.startsWith("inotify ") && field(line, "ino:") == ino) {
            out.add(field(line, "mask:"));
          }
        }
      }
    }
    return out;
  }

  private static long field(String line, String name) {
    int at = line.indexOf(name) + name.length();
    int end = line.indexOf(' ', at);
    return Long.parseLong(line.substring(at, end < 0 ? line.length() : end), 16);
  }
}

package io.vmsup.supervisor.launch;

/**
 * The uids QEMU processes run as, one per VM ({@code qemuUids} setting, {@code FIRST-LAST}). The uids need no
 * {@code /etc/passwd} entry; the range must not overlap real users or subordinate-id ranges.
 *
 * @param first the lowest uid (also used as the gid)
 * @param last  the highest uid
 */
public record UidRange(int first, int last) {

  /** The documented default range: 65536 uids from 2,000,000,000 (above login, system and usual subuid ranges). */
  public static final String DEFAULT = "2000000000-2000065535";

  public UidRange {
    if (first < 1000 || last < first) {
      throw new IllegalArgumentException("a uid range FIRST-LAST with 1000 <= FIRST <= LAST, not " + first + "-"
          + last);
    }
  }

  /** The default: {@link #DEFAULT} when the daemon runs as root (it can switch uids), else null (off). */
  public static UidRange auto() {
    return isRoot() ? parse(DEFAULT) : null;
  }

  /** True when this process's effective uid is 0 ({@code /proc/self/status}). */
  public static boolean isRoot() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).trim().split("\\s+")[1].equals("0");
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  /** Parses {@code FIRST-LAST}; {@code auto} is {@link #auto()}; null for {@code off} or an empty text. */
  public static UidRange parse(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.equals("off")) {
      return null;
    }
    if (t.equals("auto")) {
      return auto();
    }
    int dash = t.indexOf('-');
    if (dash < 0) {
      throw new IllegalArgumentException("qemuUids: 'FIRST-LAST', 'auto' or 'off', not '" + text + "'");
    }
    try {
      return new UidRange(Integer.parseInt(t.substring(0, dash).trim()), Integer.parseInt(t.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("qemuUids: 'FIRST-LAST' with whole numbers, not '" + text + "'");
    }
  }

  public int size() {
    return last - first + 1;
  }
}

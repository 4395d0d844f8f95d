package io.vmsup.supervisor.cgroup.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mounted cgroup hierarchy: where it is mounted, which part of it the mount shows, and its controllers (v1) or
 * none named (v2, whose controllers are listed in {@code cgroup.controllers}).
 *
 * @param mountPoint  where it is mounted
 * @param mountRoot   the hierarchy path the mount point shows ({@code /} unless a container bind-mounts a subtree)
 * @param v2          true for the unified hierarchy
 * @param controllers the v1 controllers of the mount ({@code memory}, {@code cpu}, ...), empty for v2
 */
record Hierarchy(Path mountPoint, String mountRoot, boolean v2, Set<String> controllers) {

  private static final Set<String> KNOWN = Set.of("cpu", "cpuacct", "memory", "pids", "freezer");

  /** The cgroup mounts of {@code /proc/self/mountinfo} (proc(5)). */
  static List<Hierarchy> mounted(Path mountinfo) throws IOException {
    List<Hierarchy> out = new ArrayList<>();
    for (String line : Files.readAllLines(mountinfo)) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] left = line.substring(0, dash).split(" ");
      String[] right = line.substring(dash + 3).split(" ");
      if (left.length < 5 || right.length < 3) {
        continue;
      }
      String fs = right[0];
      if (fs.equals("cgroup2")) {
        out.add(new Hierarchy(Path.of(unescape(left[4])), unescape(left[3]), true, Set.of()));
      } else if (fs.equals("cgroup")) {
        Set<String> ctl = new java.util.TreeSet<>();
        for (String opt : right[2].split(",")) {
          if (KNOWN.contains(opt)) {
            ctl.add(opt);
          }
        }
        out.add(new Hierarchy(Path.of(unescape(left[4])), unescape(left[3]), false, Set.copyOf(ctl)));
      }
    }
    return out;
  }

  /**
   * The cgroup of a process in each hierarchy, from {@code /proc/<pid>/cgroup}: keyed by each v1 controller, and by
   * {@code ""} for v2.
   */
  static Map<String, String> membership(Path procCgroup) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(procCgroup)) {
      String[] f = line.split(":", 3);
      if (f.length != 3) {
        continue;
      }
      if (f[0].equals("0") && f[1].isEmpty()) {
        out.put("", f[2]);
      } else {
        for (String c : f[1].split(",")) {
          out.put(c, f[2]);
        }
      }
    }
    return out;
  }

  /** The directory of the hierarchy path {@code cgroupPath} under this mount. */
  Path dirOf(String cgroupPath) {
    String rel = cgroupPath;
    if (!mountRoot.equals("/") && (rel.equals(mountRoot) || rel.startsWith(mountRoot + "/"))) {
      rel = rel.substring(mountRoot.length());
    }
    rel = rel.replaceAll("^/+", "");
    return rel.isEmpty() ? mountPoint : mountPoint.resolve(rel);
  }

  // mountinfo escapes space, tab, newline and backslash as octal
  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        try {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
          // not an escape: keep the backslash
        }
      }
      b.append(c);
    }
    return b.toString();
  }
}

package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every confined QEMU of a uid range needs alike — search ({@code --x}) on the directories above its files,
 * {@code rw-} on {@code /dev/kvm}, {@code r-x} on the QEMU binary — is granted once to one group, not once per uid:
 * {@code g:GID:PERM}, a single ACL entry per file however many VMs run (an ext4 directory holds only ~490 ACL entries,
 * so one per uid failed near 490 VMs). Each QEMU has that gid as its only supplementary group ({@code setpriv
 * --groups}). The group never appears on a VM's own directory or files: those keep entries for the VM's uid alone.
 *
 * <p>Migration: the first time this JVM sets the group's entry on a file, it removes the per-uid entries an older
 * vmsup left there (uids of the range with exactly that permission), except those of a QEMU still running as such a
 * uid without the group (adopted from an older daemon: it still needs them; {@link Confinement#release} takes them
 * back when it exits). Blocking.
 */
final class TraversalGroup {

  private static final Logger LOG = Logger.getLogger(TraversalGroup.class.getName());
  private static final Pattern USER_ENTRY = Pattern.compile("user:(\\d+):([r-][w-][x-])");
  /**
   * Files whose group entry this JVM has set: path, file key (a re-made directory is new) and entry; whether a
   * chmod silenced it since is {@link #settled}'s question.
   */
  private static final Set<String> DONE = ConcurrentHashMap.newKeySet();

  private final int gid;
  private final UidRange range;

  TraversalGroup(int gid, UidRange range) {
    this.gid = gid;
    this.range = range;
  }

  int gid() {
    return gid;
  }

  /**
   * Sets {@code g:GID:PERM} on each path (by permission), first clearing what an older vmsup left per uid. One caller
   * at a time does the work, so concurrent starts sweep a file once.
   */
  void ensure(Map<Path, String> shared) throws IOException {
    if (shared.entrySet().stream().allMatch(e -> settled(e.getKey(), e.getValue()))) {
      return;
    }
    synchronized (DONE) {
      setOnce(shared);
    }
  }

  private void setOnce(Map<Path, String> shared) throws IOException {
    Map<String, List<Path>> byPerm = new LinkedHashMap<>();
    for (var e : shared.entrySet()) {
      String key = key(e.getKey(), e.getValue());
      if (key != null && !settled(e.getKey(), e.getValue())) {
        byPerm.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
      }
    }
    Set<Integer> legacy = null;
    for (var e : byPerm.entrySet()) {
      for (Path p : e.getValue()) {
        legacy = sweep(p, e.getKey(), legacy);
      }
      Acl.modify("g:" + gid + ":" + e.getKey(), e.getValue());
      e.getValue().forEach(p -> DONE.add(String.valueOf(key(p, e.getKey()))));
    }
  }

  /**
   * Set by this JVM, and still in effect: a {@code chmod} of the file (the state store forces 0700 on its directories)
   * sets the ACL's mask to the group bits and so masks the group's entry; {@code setfacl -m} computes the mask anew.
   */
  private boolean settled(Path path, String perm) {
    String key = key(path, perm);
    if (key == null || !DONE.contains(key)) {
      return false;
    }
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      return (perm.charAt(0) == '-' || mode.contains(PosixFilePermission.GROUP_READ))
          && (perm.charAt(1) == '-' || mode.contains(PosixFilePermission.GROUP_WRITE))
          && (perm.charAt(2) == '-' || mode.contains(PosixFilePermission.GROUP_EXECUTE));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private String key(Path path, String perm) {
    try {
      Object fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      return path + "|" + fileKey + "|" + gid + ":" + perm;
    } catch (IOException e) {
      return null; // gone: nothing to grant (QEMU's own error will name what it misses)
    }
  }

  /** Removes the per-uid entries of the range with exactly {@code perm} on {@code path}, but a legacy QEMU's. */
  private Set<Integer> sweep(Path path, String perm, Set<Integer> legacy) throws IOException {
    List<Integer> stale = new ArrayList<>();
    for (String entry : Acl.read(path)) {
      Matcher m = USER_ENTRY.matcher(entry);
      if (m.matches() && m.group(2).equals(perm)) {
        long uid = Long.parseLong(m.group(1));
        if (uid >= range.first() && uid <= range.last()) {
          stale.add((int) uid);
        }
      }
    }
    if (stale.isEmpty()) {
      return legacy;
    }
    Set<Integer> running = legacy != null ? legacy : legacyQemuUids();
    stale.removeAll(running);
    for (int uid : stale) {
      Acl.remove("u:" + uid, List.of(path));
    }
    if (!stale.isEmpty()) {
      LOG.info("removed " + stale.size() + " per-uid ACL entries an older vmsup left on " + path
          + " (now one entry for group " + gid + ")");
    }
    return running;
  }

  /** The uids of the range that a running process holds without this group: QEMUs started by an older vmsup. */
  private Set<Integer> legacyQemuUids() {
    Set<Integer> out = new HashSet<>();
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        legacyUid(proc).ifPresent(out::add);
      }
    } catch (IOException e) {
      LOG.warning("cannot list /proc to find QEMUs of an older vmsup: " + e);
    }
    return out;
  }

  private java.util.Optional<Integer> legacyUid(Path proc) {
    try {
      long uid = -1;
      boolean grouped = false;
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("Uid:")) {
          uid = Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
        } else if (line.startsWith("Groups:")) {
          grouped = List.of(line.substring(7).trim().split("\\s+")).contains(Integer.toString(gid));
        }
      }
      return uid >= range.first() && uid <= range.last() && !grouped ? java.util.Optional.of((int) uid)
          : java.util.Optional.empty();
    } catch (IOException | RuntimeException gone) {
      return java.util.Optional.empty();
    }
  }
}

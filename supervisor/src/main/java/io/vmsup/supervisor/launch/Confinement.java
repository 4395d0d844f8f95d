package io.vmsup.supervisor.launch;

import io.vmsup.config.HostPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One VM's QEMU under a uid of its own: {@code setpriv --reuid=U --regid=U --groups=GID --no-new-privs} execs QEMU
 * already unprivileged (never {@code -runas}: QEMU 7.2's filter kills it with {@code elevateprivileges=deny}, and it
 * opens argv files as root before dropping). POSIX ACL entries for that uid alone grant the VM's own files — its
 * directory (sockets, pid file, serial log), every host path of its spec (read or read-write) — and are removed again
 * when QEMU has exited; another VM's files carry no entry for this uid, so its QEMU cannot open them. What every VM
 * needs alike (search on the directories above those files, {@code /dev/kvm}, the QEMU binary) goes to the shared
 * {@link TraversalGroup} instead, one entry however many VMs run. Blocking ({@code setfacl}): call on a worker.
 */
public final class Confinement {

  private static final Logger LOG = Logger.getLogger(Confinement.class.getName());
  private static final String SETPRIV = "/usr/bin/setpriv";
  private static final Path KVM = Path.of("/dev/kvm");

  private static final String CHMOD = "/bin/chmod";

  private final int uid;
  private final TraversalGroup group;
  private final Path vmDir;
  /** The uid's own entries. */
  private final Map<Path, String> grants;
  /** The group's entries (search on directories above the VM's files, /dev/kvm, the binary). */
  private final Map<Path, String> shared;
  /** Grants added while QEMU runs (hot-plug), by the QMP id that needed them, to take back at its removal. */
  private final Map<String, Map<Path, String>> added = new LinkedHashMap<>();
  /** A QEMU of an older vmsup (adopted): it runs without the group, on per-uid entries above its files. */
  private volatile boolean legacy;

  private Confinement(int uid, TraversalGroup group, Path vmDir, Map<Path, String> grants, Map<Path, String> shared) {
    this.uid = uid;
    this.group = group;
    this.vmDir = vmDir;
    this.grants = grants;
    this.shared = shared;
  }

  /**
   * The grants a VM needs: its directory and the spec's host paths for {@code uid}; search on their ancestors,
   * {@code /dev/kvm} and {@code binary} (when it is a path others may not run: setpriv execs it as the uid) for the
   * group {@code gid} of {@code range} ({@link UidPool#groupFor}).
   */
  public static Confinement plan(int uid, int gid, UidRange range, Path vmDir, List<HostPath> paths, String binary) {
    Map<Path, String> own = new LinkedHashMap<>();
    Set<Path> above = new LinkedHashSet<>();
    Map<Path, String> shared = new LinkedHashMap<>();
    Path bin = binary != null && binary.contains("/") ? Path.of(binary).toAbsolutePath().normalize() : null;
    if (bin != null && Files.exists(bin)) {
      if (!FileModes.othersMayExecute(bin)) {
        shared.put(bin, "r-x");
      }
      ancestors(above, bin);
    }
    Path dir = vmDir.toAbsolutePath().normalize();
    grant(own, above, dir, "rwx");
    grantAll(own, above, shared, paths);
    if (Files.exists(KVM)) {
      shared.put(KVM, "rw-");
    }
    split(own, above, shared);
    return new Confinement(uid, new TraversalGroup(gid, range), dir, own, shared);
  }

  /**
   * Search on a directory inside one the uid was granted (its VM directory, a shared directory of its spec) stays
   * the uid's: other VMs must not search what only this one may. Search on every other directory goes to the group.
   */
  private static void split(Map<Path, String> own, Set<Path> above, Map<Path, String> shared) {
    for (Path a : above) {
      boolean inside = own.entrySet().stream().anyMatch(e -> e.getValue().charAt(2) == 'x' && a.startsWith(e.getKey()));
      if (inside) {
        own.merge(a, "--x", FileModes::union);
      } else {
        shared.merge(a, "--x", FileModes::union);
      }
    }
    shared.keySet().removeAll(own.keySet());
  }

  /**
   * A file only read that every local user may read already (others may read it and search every directory above
   * it: a kernel in {@code /var/lib/vmsup/kernels} of mode 0644) is read through the group ({@code g:GID:r--}), one
   * entry however many VMs share it; any other path gets the uid's own entry.
   */
  private static void grantAll(Map<Path, String> g, Set<Path> above, Map<Path, String> shared, List<HostPath> paths) {
    for (HostPath p : paths) {
      Path path = Path.of(p.path()).normalize();
      boolean write = p.access() == HostPath.Access.WRITE;
      if (!write && Files.isRegularFile(path) && FileModes.everyoneMayRead(path)) {
        shared.merge(path, "r--", FileModes::union);
      } else if (Files.isDirectory(path)) {
        grant(g, above, path, write ? "rwx" : "r-x");
      } else if (Files.exists(path)) {
        grant(g, above, path, write ? "rw-" : "r--");
      } else if (path.getParent() != null) {
        // QEMU creates it (a chardev file, a socket): it needs to write the directory it lands in
        grant(g, above, path.getParent(), "rwx");
      }
    }
  }

  private static void grant(Map<Path, String> g, Set<Path> above, Path path, String perms) {
    g.merge(path, perms, FileModes::union);
    ancestors(above, path);
  }

  private static void ancestors(Set<Path> above, Path path) {
    for (Path a = path.getParent(); a != null; a = a.getParent()) {
      if (!FileModes.othersMaySearch(a)) {
        above.add(a);
      }
    }
  }

  public int uid() {
    return uid;
  }

  /** The VMs' shared traversal group, QEMU's one supplementary group. */
  public int gid() {
    return group.gid();
  }

  /** The uid's own entries: the paths and their permissions (for logs and tests). */
  public synchronized Map<Path, String> grants() {
    return Map.copyOf(grants);
  }

  /** The group's entries (search above the VM's files, /dev/kvm, the binary). */
  public synchronized Map<Path, String> shared() {
    return Map.copyOf(shared);
  }

  /** Marks an adopted QEMU of an older vmsup, which runs without the group: {@link #release} also takes back its
   * per-uid search entries above its files. */
  public void legacy() {
    legacy = true;
  }

  /**
   * Sets the sticky bit on the VM's directory (QEMU may create files there — its sockets, pid file, serial log — but
   * never remove or replace the daemon's: spec, runtime record, {@code uid}), then the group's entries, then the
   * uid's. On an error some may be set: {@link #release} takes the uid's back; the group's are meant to stay.
   */
  public synchronized void apply() throws IOException {
    Acl.exec(List.of(CHMOD, "+t", vmDir.toString()));
    group.ensure(shared);
    setfacl(grants);
  }

  /**
   * The uid's entries; a file (not a directory) also gets {@code g:GID:---}, kept after release: a process in the
   * group that is not named on the file is denied by it before the "other" bits are looked at, so a file others may
   * read (a disk image of mode 0644 in a directory the group may search) stays closed to every other VM. Not on a
   * file every local user may read anyway: that protects nothing, and would shut out VMs reading it through the group.
   */
  /**
   * Sets every entry again (an adopted QEMU, after a daemon restart): the state store's {@code chmod 0700} of its
   * directories at start sets their ACL mask to nothing, which masks the entries of QEMUs already running. For a
   * QEMU of an older vmsup that includes its per-uid search entries above its files. Blocking.
   */
  public synchronized void reassert() throws IOException {
    group.ensure(shared);
    setfacl(grants);
    if (legacy) {
      Map<String, List<Path>> byPerm = new LinkedHashMap<>();
      shared.forEach((p, perm) -> byPerm.computeIfAbsent(perm, k -> new ArrayList<>()).add(p));
      for (var e : byPerm.entrySet()) {
        Acl.modify("u:" + uid + ":" + e.getKey(), e.getValue().stream().filter(Files::exists).toList());
      }
    }
  }

  private void setfacl(Map<Path, String> entries) throws IOException {
    Map<String, List<Path>> byEntry = new LinkedHashMap<>();
    entries.forEach((path, perm) -> byEntry.computeIfAbsent("u:" + uid + ":" + perm
        + (Files.isDirectory(path) || FileModes.everyoneMayRead(path) ? "" : ",g:" + group.gid() + ":---"),
        k -> new ArrayList<>()).add(path));
    for (var e : byEntry.entrySet()) {
      Acl.modify(e.getKey(), e.getValue());
    }
  }

  /**
   * Grants what a device plugged while QEMU runs needs (blocking), remembered under {@code id} (its QMP id) until
   * {@link #revoke}; paths granted already are left as they are.
   */
  public synchronized void extend(String id, List<HostPath> paths) throws IOException {
    Map<Path, String> own = new LinkedHashMap<>(grants);
    Set<Path> above = new LinkedHashSet<>();
    Map<Path, String> moreShared = new LinkedHashMap<>();
    grantAll(own, above, moreShared, paths);
    split(own, above, moreShared);
    moreShared.keySet().removeIf(p -> shared.containsKey(p) && covers(shared.get(p), moreShared.get(p)));
    group.ensure(moreShared);
    moreShared.forEach((p, perm) -> shared.merge(p, perm, FileModes::union));
    Map<Path, String> g = new LinkedHashMap<>(own);
    g.keySet().removeIf(p -> grants.containsKey(p) && covers(grants.get(p), g.get(p)));
    if (g.isEmpty()) {
      return;
    }
    setfacl(g);
    added.computeIfAbsent(id, k -> new LinkedHashMap<>()).putAll(g);
    g.forEach((p, perm) -> grants.merge(p, perm, FileModes::union));
  }

  /** Takes back what {@link #extend} granted for {@code id} (a device removed while QEMU runs). Blocking. */
  public synchronized void revoke(String id) {
    Map<Path, String> g = added.remove(id);
    if (g == null) {
      return;
    }
    // search rights on ancestors stay until QEMU exits: another device may have come to need them meanwhile
    g.values().removeIf("--x"::equals);
    g.keySet().forEach(grants::remove);
    remove(g.keySet());
  }

  private static boolean covers(String have, String want) {
    return FileModes.union(have, want).equals(have);
  }

  /**
   * Removes the uid's entries again (paths gone meanwhile are skipped); for a QEMU of an older vmsup also those it
   * had on the group's files. The group's own entries stay: other VMs use them.
   */
  public synchronized void release() {
    Set<Path> all = new LinkedHashSet<>(grants.keySet());
    if (legacy) {
      all.addAll(shared.keySet());
    }
    remove(all);
  }

  private void remove(Set<Path> paths) {
    List<Path> existing = paths.stream().filter(Files::exists).toList();
    try {
      Acl.remove("u:" + uid, existing);
    } catch (IOException e) {
      LOG.warning("uid " + uid + ": could not remove every ACL entry: " + e.getMessage());
    }
  }

  /** What goes before QEMU's argv: the uid, as its gid too, and the traversal group as its only other group. */
  public List<String> prefix() {
    return List.of(SETPRIV, "--reuid=" + uid, "--regid=" + uid, "--groups=" + group.gid(), "--no-new-privs");
  }
}

package io.vmsup.supervisor.launch;

import io.vmsup.config.HostPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One VM's QEMU under a uid of its own: {@code setpriv --reuid=U --regid=U --clear-groups --no-new-privs} execs QEMU
 * already unprivileged (never {@code -runas}: QEMU 7.2's filter kills it with {@code elevateprivileges=deny}, and it
 * opens argv files as root before dropping), and POSIX ACL entries for that uid alone grant what the VM needs — its
 * directory (sockets, pid file, serial log), every host path of its spec (read or read-write), search on their
 * parent directories, {@code /dev/kvm} — and are removed again when QEMU has exited. Another VM's files carry no entry
 * for this uid, so its QEMU cannot open them. Blocking ({@code setfacl}): call on a worker.
 */
public final class Confinement {

  private static final Logger LOG = Logger.getLogger(Confinement.class.getName());
  private static final String SETPRIV = "/usr/bin/setpriv";
  private static final String SETFACL = "/usr/bin/setfacl";
  private static final Path KVM = Path.of("/dev/kvm");

  private static final String CHMOD = "/bin/chmod";

  private final int uid;
  private final Path vmDir;
  private final Map<Path, String> grants;
  /** Grants added while QEMU runs (hot-plug), by the QMP id that needed them, to take back at its removal. */
  private final Map<String, Map<Path, String>> added = new LinkedHashMap<>();

  private Confinement(int uid, Path vmDir, Map<Path, String> grants) {
    this.uid = uid;
    this.vmDir = vmDir;
    this.grants = grants;
  }

  /** The grants a VM needs: its directory and the spec's host paths, with search rights on their ancestors. */
  public static Confinement plan(int uid, Path vmDir, List<HostPath> paths) {
    return plan(uid, vmDir, paths, null);
  }

  /**
   * Also {@code binary}, when it is a path (not a name looked up on {@code PATH}): setpriv execs it as the uid, which
   * needs read and execute on it and search on its directories.
   */
  public static Confinement plan(int uid, Path vmDir, List<HostPath> paths, String binary) {
    Map<Path, String> g = new LinkedHashMap<>();
    Path bin = binary != null && binary.contains("/") ? Path.of(binary).toAbsolutePath().normalize() : null;
    if (bin != null && Files.exists(bin)) {
      if (!othersMayExecute(bin)) {
        grant(g, bin, "r-x");
      } else {
        ancestors(g, bin);
      }
    }
    grant(g, vmDir.toAbsolutePath().normalize(), "rwx");
    grantAll(g, paths);
    if (Files.exists(KVM)) {
      g.put(KVM, "rw-");
    }
    return new Confinement(uid, vmDir.toAbsolutePath().normalize(), g);
  }

  private static void grantAll(Map<Path, String> g, List<HostPath> paths) {
    for (HostPath p : paths) {
      Path path = Path.of(p.path()).normalize();
      boolean write = p.access() == HostPath.Access.WRITE;
      if (Files.isDirectory(path)) {
        grant(g, path, write ? "rwx" : "r-x");
      } else if (Files.exists(path)) {
        grant(g, path, write ? "rw-" : "r--");
      } else if (path.getParent() != null) {
        // QEMU creates it (a chardev file, a socket): it needs to write the directory it lands in
        grant(g, path.getParent(), "rwx");
      }
    }
  }

  private static boolean othersMayExecute(Path file) {
    try {
      return Files.getPosixFilePermissions(file).containsAll(Set.of(PosixFilePermission.OTHERS_EXECUTE,
          PosixFilePermission.OTHERS_READ));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static void grant(Map<Path, String> g, Path path, String perms) {
    g.merge(path, perms, Confinement::union);
    ancestors(g, path);
  }

  private static void ancestors(Map<Path, String> g, Path path) {
    for (Path a = path.getParent(); a != null; a = a.getParent()) {
      if (!othersMaySearch(a)) {
        g.merge(a, "--x", Confinement::union);
      }
    }
  }

  private static boolean othersMaySearch(Path dir) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      return p.contains(PosixFilePermission.OTHERS_EXECUTE);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static String union(String a, String b) {
    char[] out = new char[3];
    for (int i = 0; i < 3; i++) {
      out[i] = a.charAt(i) != '-' ? a.charAt(i) : b.charAt(i);
    }
    return new String(out);
  }

  public int uid() {
    return uid;
  }

  /** The paths this confinement grants, with their permissions (for logs and tests). */
  public synchronized Map<Path, String> grants() {
    return Map.copyOf(grants);
  }

  /**
   * Adds the ACL entries, and sets the sticky bit on the VM's directory: QEMU may create files there (its sockets,
   * pid file, serial log) but never remove or replace the daemon's (spec, runtime record, {@code uid}).
   */
  public void apply() throws IOException {
    run(List.of(CHMOD, "+t", vmDir.toString()));
    setfacl(grants);
  }

  private void setfacl(Map<Path, String> entries) throws IOException {
    Map<String, List<String>> byPerm = new LinkedHashMap<>();
    entries.forEach((path, perm) -> byPerm.computeIfAbsent(perm, k -> new ArrayList<>()).add(path.toString()));
    for (var e : byPerm.entrySet()) {
      List<String> cmd = new ArrayList<>(List.of(SETFACL, "-m", "u:" + uid + ":" + e.getKey()));
      cmd.addAll(e.getValue());
      run(cmd);
    }
  }

  /**
   * Grants what a device plugged while QEMU runs needs (blocking), remembered under {@code id} (its QMP id) until
   * {@link #revoke}; paths granted already are left as they are.
   */
  public synchronized void extend(String id, List<HostPath> paths) throws IOException {
    Map<Path, String> g = new LinkedHashMap<>();
    grantAll(g, paths);
    g.keySet().removeIf(p -> grants.containsKey(p) && covers(grants.get(p), g.get(p)));
    if (g.isEmpty()) {
      return;
    }
    setfacl(g);
    added.computeIfAbsent(id, k -> new LinkedHashMap<>()).putAll(g);
    g.forEach((p, perm) -> grants.merge(p, perm, Confinement::union));
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
    return union(have, want).equals(have);
  }

  /** Removes the ACL entries again (paths gone meanwhile are skipped). */
  public synchronized void release() {
    remove(grants.keySet());
  }

  private void remove(Set<Path> paths) {
    List<String> cmd = new ArrayList<>(List.of(SETFACL, "-x", "u:" + uid));
    Set<String> existing = new LinkedHashSet<>();
    paths.stream().filter(Files::exists).forEach(p -> existing.add(p.toString()));
    if (existing.isEmpty()) {
      return;
    }
    cmd.addAll(existing);
    try {
      run(cmd);
    } catch (IOException e) {
      LOG.warning("uid " + uid + ": could not remove every ACL entry: " + e.getMessage());
    }
  }

  /** What goes before QEMU's argv. */
  public List<String> prefix() {
    return List.of(SETPRIV, "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--no-new-privs");
  }

  /** Serialises ACL edits of this JVM; the file lock beside the uid claims those of every daemon on the host. */
  private static final Object ACL_LOCK = new Object();
  private static final Path ACL_LOCK_FILE = Path.of(UidPool.CLAIMS, ".acl-lock");

  /**
   * setfacl reads a file's ACL, edits it and writes it back: two at once on a shared file ({@code /dev/kvm}, a
   * directory above several VMs' files) lose one's entry, and that VM's QEMU then cannot open it. One at a time.
   */
  private static void run(List<String> cmd) throws IOException {
    synchronized (ACL_LOCK) {
      Files.createDirectories(ACL_LOCK_FILE.getParent());
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(ACL_LOCK_FILE,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
          java.nio.channels.FileLock lock = ch.lock()) {
        exec(cmd);
      }
    }
  }

  private static void exec(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    try {
      int code = p.waitFor();
      if (code != 0) {
        throw new IOException(String.join(" ", cmd.subList(0, 3)) + " failed (" + code + "): " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}

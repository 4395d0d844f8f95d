package io.vmsup.supervisor.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Gives each VM a uid of its own from a {@link UidRange}, kept in {@code vms/<name>/uid} so that it stays the same
 * across restarts. A uid is unique on the host, not only in one daemon: each is claimed in {@value #CLAIMS}
 * ({@code <uid>} holding the VM directory that owns it), under an exclusive lock, so two daemons with the same range
 * never hand one uid to two VMs. A claim whose VM directory no longer names that uid (the VM was deleted, or its
 * state directory removed) is stale and taken over. One id of the range, the highest one free when first asked for,
 * is claimed for good as the VMs' shared traversal group ({@link #groupFor}); no VM gets it. Blocking.
 */
public final class UidPool {

  static final String FILE = "uid";
  /** Where the host's uid claims live (tmpfs: they vanish with the processes at reboot). */
  public static final String CLAIMS = "/run/vmsup/uids";
  private static final Logger LOG = Logger.getLogger(UidPool.class.getName());
  /** What the claim of the traversal group's id holds instead of a VM directory. */
  static final String GROUP = "traversal-group";
  private static final java.util.Map<String, Integer> GROUPS = new java.util.concurrent.ConcurrentHashMap<>();

  private UidPool() {
  }

  /** The VM's uid: its recorded one while the host's claim is its own, else the lowest unclaimed one of the range. */
  public static int uidFor(Path vmsDir, String name, UidRange range) throws IOException {
    return uidFor(vmsDir, name, range, Path.of(CLAIMS));
  }

  static int uidFor(Path vmsDir, String name, UidRange range, Path claims) throws IOException {
    Path vmDir = vmsDir.resolve(name).toAbsolutePath().normalize();
    Integer uid = HostLock.holding(claims.resolve(".lock"), () -> {
      Integer mine = recorded(vmDir);
      if (mine != null && mine >= range.first() && mine <= range.last() && claimable(claims, mine, vmDir)) {
        claim(claims, mine, vmDir);
        return mine;
      }
      for (int id = range.first(); id <= range.last(); id++) {
        if (claimable(claims, id, vmDir)) {
          claim(claims, id, vmDir);
          Files.writeString(vmDir.resolve(FILE), id + "\n", StandardCharsets.US_ASCII);
          if (mine != null) {
            LOG.warning(name + ": uid " + mine + " is claimed by another VM on this host; now uid " + id);
          }
          return id;
        }
      }
      return null;
    });
    if (uid != null) {
      return uid;
    }
    throw new IOException("every uid of qemuUids " + range.first() + "-" + range.last() + " is claimed on this host"
        + " (" + claims + ")");
  }

  /**
   * The gid every confined QEMU of {@code range} gets as its one supplementary group, to search the directories above
   * the VMs' files: the highest id of the range that is claimed as the group already, or else free, claimed for it
   * host-wide (so two daemons with the same range share it, and no VM of any daemon is ever given it as its uid).
   */
  public static int groupFor(UidRange range) throws IOException {
    return groupFor(range, Path.of(CLAIMS));
  }

  static int groupFor(UidRange range, Path claims) throws IOException {
    String key = claims.toAbsolutePath() + ":" + range;
    Integer known = GROUPS.get(key);
    if (known != null) {
      return known;
    }
    Integer gid = HostLock.holding(claims.resolve(".lock"), () -> {
      for (int id = range.last(); id >= range.first(); id--) {
        Path claim = claims.resolve(Integer.toString(id));
        if (isGroup(claim) || claimable(claims, id, null)) {
          Files.writeString(claim, GROUP + "\n", StandardCharsets.UTF_8);
          GROUPS.put(key, id);
          return id;
        }
      }
      return null;
    });
    if (gid != null) {
      return gid;
    }
    throw new IOException("no id of qemuUids " + range.first() + "-" + range.last() + " is left for the VMs'"
        + " traversal group (" + claims + ")");
  }

  private static boolean isGroup(Path claim) {
    try {
      return Files.readString(claim, StandardCharsets.UTF_8).trim().equals(GROUP);
    } catch (IOException none) {
      return false;
    }
  }

  private static Integer recorded(Path vmDir) {
    try {
      return Integer.parseInt(Files.readString(vmDir.resolve(FILE), StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /**
   * Free, ours already ({@code vmDir}; null asks for a free or stale one only), or stale: its owner's VM directory
   * does not record this uid any more. The traversal group's id never is.
   */
  private static boolean claimable(Path claims, int uid, Path vmDir) {
    Path claim = claims.resolve(Integer.toString(uid));
    String owner;
    try {
      owner = Files.readString(claim, StandardCharsets.UTF_8).trim();
    } catch (IOException none) {
      return true;
    }
    if (owner.equals(GROUP)) {
      return false;
    }
    if (vmDir != null && owner.equals(vmDir.toString())) {
      return true;
    }
    Integer theirs = recorded(Path.of(owner));
    return theirs == null || theirs != uid;
  }

  private static void claim(Path claims, int uid, Path vmDir) throws IOException {
    Files.writeString(claims.resolve(Integer.toString(uid)), vmDir + "\n", StandardCharsets.UTF_8);
  }
}

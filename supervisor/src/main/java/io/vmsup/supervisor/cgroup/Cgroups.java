package io.vmsup.supervisor.cgroup;

import io.vmsup.supervisor.cgroup.impl.CgroupsImpl;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The daemon's cgroups: which hierarchy it uses, and one {@link VmCgroup} per VM beneath a directory of this daemon
 * ({@code vmsup-<hash of the state directory>}, inside the daemon's own cgroup of each hierarchy, so several daemons
 * on one host never share a VM's cgroup, and a limit the host puts on the daemon still covers its VMs).
 */
public interface Cgroups {

  /**
   * Detects what the host offers for {@code wanted} and prepares the daemon's directories (blocking).
   *
   * @throws IllegalStateException when {@code wanted} is {@code V1} or {@code V2} and that hierarchy cannot be used;
   *     {@code AUTO} falls back to the next choice, down to none
   */
  static Cgroups detect(CgroupMode wanted, Path stateDir) {
    return CgroupsImpl.detect(wanted, stateDir);
  }

  /**
   * Kills every task in the VM cgroups of the daemon of {@code stateDir} and removes them and its directories, in
   * every hierarchy (blocking; after a daemon that will not come back, and in tests). Never throws.
   */
  static void removeLeftovers(Path stateDir) {
    CgroupsImpl.removeLeftovers(stateDir);
  }

  /** No cgroups at all; {@code why} is said when a spec with resources asks for them. */
  static Cgroups off(String why) {
    return CgroupsImpl.off(why);
  }

  /** The hierarchy in use: {@code V1}, {@code V2} or {@code OFF}. */
  CgroupMode mode();

  /** Why cgroups are off, or what is in use, for logs and errors. */
  String describe();

  /** The cgroup a new start of {@code vm} uses (not yet made); empty when off. */
  Optional<VmCgroup> forVm(String vm);

  /**
   * The cgroup an adopted QEMU (after a daemon restart) is in, read from {@code /proc/<pid>/cgroup} when it is a VM
   * cgroup of this daemon's kind for {@code vm}; else the cgroup {@link #forVm} names when the pid is in it; else
   * empty. Blocking.
   */
  Optional<VmCgroup> adopt(String vm, long pid);

  /** Remembers {@code group} as the VM's current one (for metrics); null forgets it. */
  void track(String vm, VmCgroup group);

  /** The VM's current cgroup, if it has one. */
  Optional<VmCgroup> current(String vm);

  /** Removes the daemon's own directories when they are empty (at daemon stop). Blocking; never throws. */
  void close();
}

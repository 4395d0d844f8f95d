package io.vmsup.supervisor.vm;

import io.vmsup.config.HostPath;
import io.vmsup.supervisor.image.ManagedDisks;
import io.vmsup.config.Vfio;
import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.launch.Confinement;
import io.vmsup.supervisor.launch.UidPool;
import io.vmsup.supervisor.launch.UidRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The per-VM uid of one VM's QEMU ({@code qemuUids}): grants before the spawn, the setpriv prefix, release after. */
final class Confine {

  private Confine() {
  }

  /**
   * The plan for this VM's current spec, or null when QEMU runs as the daemon's user: {@code qemuUids} off, or a
   * spec that needs the daemon's privileges (see {@link #needsPrivileges}). Blocking.
   */
  static Confinement plan(VmCore vm) throws IOException {
    UidRange range = vm.options().qemuUids();
    if (range == null) {
      return null;
    }
    Optional<String> why = needsPrivileges(vm.definition().spec());
    if (why.isPresent()) {
      VmCore.LOG.warning(vm.name() + ": QEMU runs as the daemon's user, not a uid of its own: " + why.get());
      return null;
    }
    Path vmDir = vm.deps().store().vmDir(vm.name());
    int gid = UidPool.groupFor(range); // first: the group's id is then never a VM's uid
    int uid = UidPool.uidFor(vmDir.getParent(), vm.name(), range);
    List<HostPath> paths = new ArrayList<>(HostPath.of(vm.definition().spec()));
    paths.addAll(ManagedDisks.hostPaths(vmDir, vm.definition().spec()));
    return Confinement.plan(uid, gid, range, vmDir, paths, vm.options().qemuBinary());
  }

  /**
   * Why QEMU cannot run unprivileged for this spec: a VFIO device (its IOMMU group's device node, the locked-memory
   * limit). Tap and macvtap NICs need no privilege in QEMU: the daemon opens them and hands the descriptors over.
   * Empty when it can.
   */
  static Optional<String> needsPrivileges(VmSpec spec) {
    for (var d : spec.devices()) {
      if (d instanceof Vfio v) {
        return Optional.of("VFIO device '" + v.id() + "' needs the daemon's access to its IOMMU group");
      }
    }
    return Optional.empty();
  }

  /**
   * The grants of an adopted QEMU (after a daemon restart): its spec's plan when the process runs as that plan's uid,
   * else null (it runs as the daemon's user). A QEMU without the traversal group (started by an older vmsup) is
   * marked {@link Confinement#legacy}. Blocking.
   */
  static Confinement adopted(VmCore vm, long pid) {
    try {
      Confinement c = plan(vm);
      if (c == null) {
        return null;
      }
      boolean ours = false;
      boolean grouped = false;
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("Uid:")) {
          ours = line.substring(4).trim().split("\\s+")[0].equals(String.valueOf(c.uid()));
        } else if (line.startsWith("Groups:")) {
          grouped = List.of(line.substring(7).trim().split("\\s+")).contains(String.valueOf(c.gid()));
        }
      }
      if (!ours) {
        return null;
      }
      if (!grouped) {
        c.legacy();
      }
      c.reassert(); // the store's chmod 0700 at daemon start masked its entries
      return c;
    } catch (IOException | RuntimeException e) {
      VmCore.LOG.warning(vm.name() + ": cannot tell the adopted QEMU's uid: " + e);
    }
    return null;
  }

  /** The argv to execute: QEMU's own, behind setpriv when confined. Applies the grants first. Blocking. */
  static List<String> launch(Confinement c, List<String> argv) throws IOException {
    if (c == null) {
      return argv;
    }
    c.apply();
    List<String> out = new ArrayList<>(c.prefix());
    out.addAll(argv);
    return out;
  }

  /**
   * Takes the grants back after QEMU exited: the incarnation's own, or (a QEMU adopted after a daemon restart) those
   * its spec implies. Blocking.
   */
  static void release(VmCore vm, Confinement c) {
    try {
      Confinement grants = c != null ? c : plan(vm);
      if (grants != null) {
        grants.release();
      }
    } catch (IOException | RuntimeException e) {
      VmCore.LOG.warning(vm.name() + ": cannot take the QEMU uid's grants back: " + e);
    }
  }
}

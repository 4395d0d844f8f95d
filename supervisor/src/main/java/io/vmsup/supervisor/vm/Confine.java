package io.vmsup.supervisor.vm;

import io.vmsup.config.HostPath;
import io.vmsup.supervisor.image.ManagedDisks;
import io.vmsup.supervisor.launch.Confinement;
import io.vmsup.supervisor.launch.UidPool;
import io.vmsup.supervisor.launch.UidRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The per-VM uid of one VM's QEMU ({@code qemuUids}): grants before the spawn, the setpriv prefix, release after. */
final class Confine {

  private Confine() {
  }

  /** The plan for this VM's current spec, or null when QEMU runs as the daemon's user. Blocking. */
  static Confinement plan(VmCore vm) throws IOException {
    UidRange range = vm.options().qemuUids();
    if (range == null) {
      return null;
    }
    Path vmDir = vm.deps().store().vmDir(vm.name());
    int uid = UidPool.uidFor(vmDir.getParent(), vm.name(), range);
    List<HostPath> paths = new ArrayList<>(HostPath.of(vm.definition().spec()));
    paths.addAll(ManagedDisks.hostPaths(vmDir, vm.definition().spec()));
    return Confinement.plan(uid, vmDir, paths);
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

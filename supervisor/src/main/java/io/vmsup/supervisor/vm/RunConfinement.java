package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vmsup.supervisor.cgroup.VmCgroup;
import io.vmsup.supervisor.launch.Confinement;

/**
 * What confines the VM's current QEMU run: the grants of its own uid ({@code qemuUids}) and its cgroup, and when the
 * last run's cgroup was removed. Confined to the VM's context.
 */
final class RunConfinement {

  private Confinement grants;
  private VmCgroup cgroup;
  private Future<?> cgroupRetired = Future.succeededFuture();

  /** The grants of the running QEMU's own uid, null when none or unknown (adopted). */
  Confinement grants() {
    return grants;
  }

  void granted(Confinement given) {
    grants = given;
  }

  /** The current run's cgroup, null without one (cgroups off, or an adopted QEMU found in none). */
  VmCgroup cgroup() {
    return cgroup;
  }

  void joined(VmCgroup group) {
    cgroup = group;
  }

  /** Completes once the last run's cgroup is removed: the next start makes the same directories afresh. */
  Future<?> cgroupRetired() {
    return cgroupRetired;
  }

  void retiring(Future<?> removal) {
    cgroupRetired = removal;
  }
}

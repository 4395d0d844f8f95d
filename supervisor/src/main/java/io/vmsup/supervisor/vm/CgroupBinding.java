package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vmsup.config.Resources;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.cgroup.CgroupUsage;
import io.vmsup.supervisor.cgroup.VmCgroup;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One VM's cgroup through its runs: made fresh with the spec's {@code resources} before each spawn, joined by the
 * launch wrapper, the kill switch of the stop ladder, the OOM evidence when QEMU dies, removed once QEMU has exited,
 * re-adopted after a daemon restart. Methods named blocking run on a worker; the others return futures.
 */
final class CgroupBinding {

  private CgroupBinding() {
  }

  /** Blocking: the VM's fresh cgroup with its limits; null when the daemon has none and the spec asks for none. */
  static VmCgroup prepare(VmCore vm) throws IOException {
    Resources limits = resources(vm);
    Optional<VmCgroup> group = vm.deps().cgroups().forVm(vm.name());
    if (group.isEmpty()) {
      if (!limits.isEmpty()) {
        throw new VmException(ErrorCode.INVALID, "resources: this daemon cannot enforce limits ("
            + vm.deps().cgroups().describe() + "); remove resources or run the daemon with cgroups");
      }
      return null;
    }
    try {
      group.get().create(limits);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("resources.")) {
        throw new VmException(ErrorCode.INVALID, e.getMessage());
      }
      throw e;
    }
    return group.get();
  }

  private static Resources resources(VmCore vm) {
    return vm.definition().spec().resources().orElse(Resources.none());
  }

  /**
   * Completes when the previous run's cgroup is gone (its QEMU exited and the directories were removed), or after
   * {@code RETIRE_WAIT}: a start never reuses directories a late removal would then take away.
   */
  static Future<Void> previousRetired(VmCore vm) {
    Future<?> retired = vm.confinement().cgroupRetired();
    if (retired.isComplete()) {
      return Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    long timer = vm.vertx().setTimer(RETIRE_WAIT_MS, id -> p.tryComplete());
    retired.onComplete(x -> {
      vm.vertx().cancelTimer(timer);
      p.tryComplete();
    });
    return p.future();
  }

  private static final long RETIRE_WAIT_MS = 10_000;

  /** The wrapper that puts the process into {@code group} before it execs the rest. */
  static List<String> prefix(VmCgroup group) {
    return group == null ? List.of() : group.joinPrefix();
  }

  /** On the VM's context: {@code group} is the current run's. */
  static void adopted(VmCore vm, VmCgroup group) {
    vm.confinement().joined(group);
    vm.deps().cgroups().track(vm.name(), group);
  }

  /**
   * The cgroup of an adopted QEMU (after a daemon restart), set on the VM when found; and its uid's grants, so that
   * hot-plug keeps granting files to it.
   */
  static Future<Void> adopt(VmCore vm, long pid) {
    vm.vertx().executeBlocking(() -> Confine.adopted(vm, pid), false).onSuccess(c -> vm.confinement().granted(c));
    return vm.vertx().executeBlocking(() -> vm.deps().cgroups().adopt(vm.name(), pid).orElse(null), false)
        .otherwise(t -> null)
        .map(group -> {
          if (group == null && vm.deps().cgroups().forVm(vm.name()).isPresent()) {
            VmCore.LOG.warning(vm.name() + ": adopted QEMU (pid " + pid + ") is in no cgroup of this daemon");
          }
          adopted(vm, group);
          return null;
        });
  }

  /** True when the VM's current cgroup counted an OOM kill (the evidence; a SIGKILL by hand never counts). */
  static Future<Boolean> oomKilled(VmCore vm) {
    VmCgroup group = vm.confinement().cgroup();
    if (group == null) {
      return Future.succeededFuture(false);
    }
    return vm.vertx().executeBlocking(() -> group.usage().oomKilled(), false).otherwise(false);
  }

  /** SIGKILL for QEMU, and the cgroup's kill switch for every task in it. */
  static void killAll(VmCore vm, Incarnation run) {
    run.sigkill();
    VmCgroup group = vm.confinement().cgroup();
    if (group != null) {
      vm.vertx().executeBlocking(group::killAll, false)
          .onFailure(t -> VmCore.LOG.warning(vm.name() + ": cgroup kill switch: " + t.getMessage()));
    }
  }

  /** Blocking: after QEMU exited, the cgroup's last figures are kept and its directories removed. */
  static CgroupUsage retire(VmCore vm, VmCgroup group) {
    if (group == null) {
      return CgroupUsage.unknown();
    }
    CgroupUsage last = group.retire();
    vm.context().runOnContext(x -> {
      if (vm.deps().cgroups().current(vm.name()).orElse(null) == group) {
        vm.deps().cgroups().track(vm.name(), null);
      }
    });
    return last;
  }

  /**
   * Blocking, at daemon start for a VM whose QEMU is gone: the cgroup its last run left (never removed, since the
   * daemon was down) tells whether the kernel OOM-killed it; the cgroup is removed.
   */
  static boolean leftOverWasOom(VmCore vm) {
    Optional<VmCgroup> group = vm.deps().cgroups().forVm(vm.name());
    if (group.isEmpty() || group.get().dirs().stream().noneMatch(java.nio.file.Files::isDirectory)) {
      return false;
    }
    return group.get().retire().oomKilled();
  }
}

package io.vmsup.supervisor;

import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.SupervisorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vmsup.supervisor.impl.SupervisorImpl;
import java.util.List;
import java.util.Optional;

/**
 * The vmsup daemon core: deploys the registry verticle (the VM table and the event-bus API of {@link
 * io.vmsup.supervisor.api.Addresses}) and one actor verticle per VM, after re-attaching to the VMs recorded in the
 * state directory.
 */
public interface Supervisor {

  /**
   * Starts the supervisor on {@code vertx}: prepares the state directory, re-attaches or recovers every stored VM,
   * and registers the event-bus API. Fails if the state directory cannot be used or Vert.x runs without its native
   * transport (QMP needs unix sockets on epoll).
   */
  static Future<Supervisor> start(Vertx vertx, SupervisorOptions options) {
    return SupervisorImpl.start(vertx, options);
  }

  /**
   * Undeploys everything. VMs keep running unless {@link SupervisorOptions#stopOnShutdown()} is set, in which case
   * each goes through the stop ladder first. A later {@link #start} on the same state directory re-attaches them.
   */
  Future<Void> shutdown();

  /** Snapshots of every supervised VM, for read-only consumers such as metrics. Any thread. */
  List<VmHandle> vms();

  /** The snapshot of one VM. Any thread. */
  Optional<VmHandle> vm(String name);

  SupervisorOptions options();

  /** The daemon's cgroups (each VM's QEMU in its own; {@code OFF} when the host offers none). */
  io.vmsup.supervisor.cgroup.Cgroups cgroups();
}

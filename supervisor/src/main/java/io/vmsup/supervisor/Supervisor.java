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

  /**
   * Runs read-only typed QMP queries ({@code query-*}) on a VM's own connection, on its actor's context, for the
   * daemon's own readers (the metrics collector): no event-bus request, no crossing of the registry's thread. Any
   * thread.
   *
   * @return one result per command, in order: the command's decoded result, or its failure (a
   *     {@link io.vmsup.supervisor.api.VmException} NOT_FOUND when no such VM answers, CONFLICT without a QMP
   *     connection, INVALID for a command that is not a {@code query-*}; the QMP client's errors and its
   *     {@code QmpTimeoutException} after {@code timeout}, at most the command timeout); the future itself does not
   *     fail and completes on the VM actor's context
   */
  Future<List<io.vertx.core.AsyncResult<?>>> queries(String vm, List<io.vmsup.qmp.QmpCommand<?>> commands,
      java.time.Duration timeout);

  SupervisorOptions options();

  /** The daemon's cgroups (each VM's QEMU in its own; {@code OFF} when the host offers none). */
  io.vmsup.supervisor.cgroup.Cgroups cgroups();
}

package io.vmsup.supervisor.vm;

import io.vmsup.qmp.QmpPeerCheck;
import io.vmsup.supervisor.launch.Confinement;
import io.vmsup.supervisor.link.ConnectLoop;
import io.vmsup.supervisor.link.QmpConnector;
import io.vmsup.supervisor.link.QmpLink;

/**
 * Who must serve a VM's QMP socket: the VM's own QEMU process, and its own uid when it runs confined. A confined
 * QEMU may write its VM directory, so a compromised one can replace {@code qmp.sock} by a link to another VM's
 * socket before the daemon connects again; every connection of the daemon (start, reconnect, re-attach) is checked
 * with {@code SO_PEERCRED} and refused when someone else answers.
 */
final class QmpPeers {

  private QmpPeers() {
  }

  /** Connects {@code run}'s QMP, retrying while QEMU starts, checking that {@code run} itself serves it. */
  static io.vertx.core.Future<QmpLink> connect(VmCore vm, Incarnation run, long deadlineNanos) {
    return connect(vm, run, deadlineNanos, io.vertx.core.Future.succeededFuture());
  }

  /** As {@link #connect(VmCore, Incarnation, long)}, with retries before {@code wake} waiting for it (a start). */
  static io.vertx.core.Future<QmpLink> connect(VmCore vm, Incarnation run, long deadlineNanos,
      io.vertx.core.Future<?> wake) {
    return ConnectLoop.connect(vm.vertx(), vm.deps().connector(), vm.paths().qmpSocket(), vm.name(), of(vm, run),
        () -> !run.dead(), deadlineNanos, wake);
  }

  /** The check for {@code run}: its pid, and its uid when the daemon knows which uid it runs as. */
  static QmpPeerCheck of(VmCore vm, Incarnation run) {
    Confinement c = vm.confinement().grants();
    return QmpPeerCheck.process(run.pid(), c == null ? -1 : c.uid());
  }

  /** Whether {@code t} is a refusal of the peer (not a QEMU that does not answer). */
  static boolean refused(Throwable t) {
    return t instanceof QmpConnector.WrongPeer;
  }

  /** Logs and publishes a refused connection ({@code qmp-peer-refused}; the daemon audits it). */
  static void report(VmCore vm, Incarnation run, Throwable t) {
    VmCore.LOG.warning(vm.name() + ": QMP connection refused: " + t.getMessage()
        + "; QEMU (pid " + run.pid() + ") no longer serves its own QMP socket");
    vm.events().qmpPeerRefused(run.pid(), vm.paths().qmpSocket().toString(), t.getMessage());
  }
}

package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.CRASHED;
import static io.vmsup.supervisor.api.VmState.DEFINED;
import static io.vmsup.supervisor.api.VmState.FAILED;
import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;
import static io.vmsup.supervisor.api.VmState.UNKNOWN;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.launch.Evidence;
import io.vmsup.supervisor.launch.Liveness;
import io.vmsup.supervisor.link.QmpLink;
import io.vmsup.supervisor.store.Desired;
import io.vmsup.supervisor.store.RuntimeRecord;
import io.vmsup.supervisor.store.StoredVm;

/**
 * Brings one stored VM back under supervision at daemon start, like libvirt: adopt our still-running QEMU without
 * restarting it (QMP reconnected, {@code query-status} re-read); a QEMU that died while the daemon was down is
 * CRASHED and the policy applies; a process we cannot prove ours is reported FAILED {@code unverified-process} and
 * left alone. When the evidence cannot be read the VM is UNKNOWN {@code liveness-unknown} and the check is retried
 * every {@link #RETRY_MS} ms: never CRASHED, never restarted on a "cannot tell".
 */
final class Recovery {

  private final VmCore vm;
  private final ExitPolicy exits;
  private final Handler<QmpEvent> events;
  private final Handler<Incarnation> onRunning;

  Recovery(VmCore vm, ExitPolicy exits, Handler<QmpEvent> events,
      Handler<Incarnation> onRunning) {
    this.vm = vm;
    this.exits = exits;
    this.events = events;
    this.onRunning = onRunning;
  }

  /** How often an UNKNOWN verdict at daemon start is checked again. */
  static final long RETRY_MS = 1000;

  Future<Void> recover(StoredVm stored, Candidates candidates) {
    RuntimeRecord record = stored.runtime();
    return vm.vertx().executeBlocking(() -> Reattach.check(record, vm.paths().qmpSocket(), candidates))
        .otherwise(t -> Reattach.Found.of(Reattach.Verdict.UNKNOWN, 0, t.toString()))
        .compose(found -> switch (found.verdict()) {
          case ADOPT -> adopt(stored, found);
          case UNVERIFIED -> unverified(found.pid());
          case KILLED -> killed(stored, found);
          case GONE -> gone(stored);
          case UNKNOWN -> unknown(stored, found);
        });
  }

  private Future<Void> unknown(StoredVm stored, Reattach.Found found) {
    if (vm.snapshot().isRetired()) {
      return Future.succeededFuture();
    }
    VmCore.LOG.warning(vm.name() + ": cannot tell whether its QEMU runs (" + found.detail() + "); UNKNOWN, retrying");
    if (vm.state() != UNKNOWN) {
      vm.moveTo(UNKNOWN, Reason.LIVENESS_UNKNOWN);
    }
    vm.vertx().setTimer(RETRY_MS, id -> vm.vertx().executeBlocking(Candidates::qemuProcesses)
        .onSuccess(now -> {
          if (!vm.snapshot().isRetired()) {
            recover(stored, now);
          }
        })
        .onFailure(t -> unknown(stored, Reattach.Found.of(Reattach.Verdict.UNKNOWN, 0, t.toString()))));
    return Future.succeededFuture();
  }

  private Future<Void> killed(StoredVm stored, Reattach.Found found) {
    VmCore.LOG.warning(vm.name() + ": killed process " + found.pid() + " (" + found.detail() + ")");
    return gone(stored);
  }

  private Future<Void> adopt(StoredVm stored, Reattach.Found found) {
    RuntimeRecord recorded = stored.runtime();
    Incarnation run = new Incarnation(vm.vertx(), vm.context(), found.handle().pid(), found.handle(), null,
        recorded.startedAt(), found.procStartTime(), found.watch(), vm.prober());
    RuntimeRecord record = new RuntimeRecord(found.pid(), found.procStartTime(), recorded.qmpSocket(),
        recorded.startedAt(), recorded.nonce());
    vm.runs(run);
    if (!record.equals(recorded)) {
      // adopted through the intent's nonce: record the pid now, so the next daemon finds it the usual way
      vm.record().runtime(record)
          .onFailure(t -> VmCore.LOG.warning(vm.name() + ": cannot record the adopted pid: " + t));
    }
    long deadline = System.nanoTime() + vm.options().startTimeout().toNanos();
    return CgroupBinding.adopt(vm, found.pid()).compose(v -> connect(run, deadline))
        .compose(link -> {
          run.attach(link);
          link.onEvent(events);
          return link.execute(QmpCommands.queryStatus(), vm.options().commandTimeout())
              .map(status -> {
                boolean running = status.running();
                vm.ready(link, null);
                vm.moveTo(running ? RUNNING : PAUSED, Reason.REATTACHED);
                onRunning.handle(run);
                return (Void) null;
              });
        })
        .recover(t -> {
          if (Evidence.isExhaustion(t) && !run.exit().isComplete()) {
            // the process is ours and alive; QMP could not get a descriptor: the Vigil reconnects later
            VmCore.LOG.warning(vm.name() + ": pid " + record.pid() + " is ours, QMP cannot connect: " + t.getMessage());
            vm.moveTo(UNKNOWN, Reason.LIVENESS_UNKNOWN);
            onRunning.handle(run);
            return Future.succeededFuture();
          }
          return run.probe().compose(e -> notConnected(stored, run, record, e, t));
        });
  }

  /**
   * QMP refused an adopted QEMU: a QEMU that died meanwhile (its listener closed with it) crashed while the daemon
   * was away, by positive evidence; one that cannot be told stays UNKNOWN and is checked again; only a live QEMU
   * whose QMP refuses is FAILED.
   */
  private Future<Void> notConnected(StoredVm stored, Incarnation run, RuntimeRecord record, Evidence e,
      Throwable t) {
    run.stopProbing();
    if (e.liveness() == Liveness.DEAD) {
      VmCore.LOG.warning(vm.name() + ": pid " + record.pid() + " died while being re-attached (" + t.getMessage()
          + ")");
      return gone(stored);
    }
    if (QmpPeers.refused(t)) {
      // ours by its nonce, alive or cannot tell, and its monitor hidden: left running, as a reattach failure is
      QmpPeers.report(vm, run, t);
      vm.moveTo(FAILED, Reason.QMP_WRONG_PEER);
      return Future.succeededFuture();
    }
    if (e.liveness() == Liveness.UNKNOWN) {
      return unknown(stored, Reattach.Found.of(Reattach.Verdict.UNKNOWN, record.pid(), e.toString()));
    }
    VmCore.LOG.warning(vm.name() + ": pid " + record.pid() + " is ours but QMP failed: " + t.getMessage());
    vm.moveTo(FAILED, Reason.REATTACH_FAILED);
    return Future.succeededFuture();
  }

  private Future<QmpLink> connect(Incarnation run, long deadline) {
    return QmpPeers.connect(vm, run, deadline);
  }

  private Future<Void> unverified(long pid) {
    VmCore.LOG.warning(vm.name() + ": process " + pid + " names this VM's QMP socket but cannot be proven ours"
        + " (pid/start time/command line differ from runtime.json); not adopting it and not starting the VM");
    vm.moveTo(FAILED, Reason.UNVERIFIED_PROCESS);
    return Future.succeededFuture();
  }

  /**
   * No QEMU of ours runs. With a runtime record it died while the daemon was down: CRASHED, and the policy applies
   * when the operator wants it running. Without one it was not running when the daemon left (stopped, or crashed
   * and not restarted): it stays DEFINED and is not started behind the operator's back.
   */
  private Future<Void> gone(StoredVm stored) {
    if (stored == null || stored.runtime() == null) {
      if (vm.state() == UNKNOWN) {
        vm.moveTo(DEFINED, Reason.NOT_RUNNING);
      }
      return Future.succeededFuture();
    }
    // an intent without a QEMU: the daemon died before (or while) spawning it
    return vm.vertx().executeBlocking(() -> CgroupBinding.leftOverWasOom(vm), false).otherwise(false)
        .compose(oom -> crashedWhileAway(stored, oom));
  }

  private Future<Void> crashedWhileAway(StoredVm stored, boolean oom) {
    vm.moveTo(CRASHED, stored.runtime().isIntent() ? Reason.START_INTERRUPTED
        : oom ? Reason.OOM : Reason.DIED_WHILE_DAEMON_DOWN);
    // the policy applies even when the stale record cannot be removed (it is retried; the process is gone either way)
    return vm.record().clearRuntime().transform(ar -> {
      if (ar.failed()) {
        VmCore.LOG.warning(vm.name() + ": " + ar.cause().getMessage());
      }
      if (stored.desired() == Desired.RUNNING) {
        exits.applyPolicy(false);
      }
      return Future.<Void>succeededFuture();
    });
  }
}

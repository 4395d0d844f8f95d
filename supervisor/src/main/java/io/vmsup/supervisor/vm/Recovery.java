package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.CRASHED;
import static io.vmsup.supervisor.api.VmState.FAILED;
import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.link.ConnectLoop;
import io.vmsup.supervisor.link.QmpLink;
import io.vmsup.supervisor.store.Desired;
import io.vmsup.supervisor.store.RuntimeRecord;
import io.vmsup.supervisor.store.StoredVm;
import java.util.List;

/**
 * Brings one stored VM back under supervision at daemon start, like libvirt: adopt our still-running QEMU without
 * restarting it (QMP reconnected, {@code query-status} re-read); a QEMU that died while the daemon was down is
 * CRASHED and the policy applies; a process we cannot prove ours is reported FAILED {@code unverified-process} and
 * left alone.
 */
final class Recovery {

  private final VmCore vm;
  private final ExitPolicy exits;
  private final Handler<JsonObject> events;
  private final Handler<Incarnation> onRunning;

  Recovery(VmCore vm, ExitPolicy exits, Handler<JsonObject> events,
      Handler<Incarnation> onRunning) {
    this.vm = vm;
    this.exits = exits;
    this.events = events;
    this.onRunning = onRunning;
  }

  Future<Void> recover(StoredVm stored, List<ProcessHandle> candidates) {
    RuntimeRecord record = stored.runtime();
    return vm.vertx.executeBlocking(() -> Reattach.check(record, vm.paths.qmpSocket(), candidates))
        .compose(found -> switch (found.verdict()) {
          case ADOPT -> adopt(record, found.handle());
          case UNVERIFIED -> unverified(found.pid());
          case GONE -> gone(stored);
        });
  }

  private Future<Void> adopt(RuntimeRecord record, ProcessHandle handle) {
    Incarnation run = new Incarnation(vm.vertx, vm.context, handle, null, record.startedAt(),
        record.procStartTime());
    vm.run = run;
    long deadline = System.nanoTime() + vm.deps.options().startTimeout().toNanos();
    return connect(run, deadline)
        .compose(link -> {
          run.attach(link);
          link.onEvent(events);
          return link.execute("query-status", new JsonObject(), vm.deps.options().commandTimeout())
              .map(status -> {
                boolean running = status instanceof JsonObject s && s.getBoolean("running", false);
                vm.qemuVersion = link.qemuVersion();
                vm.runningSince = vm.now();
                vm.sm.moveTo(running ? RUNNING : PAUSED, "reattached");
                onRunning.handle(run);
                return (Void) null;
              });
        })
        .recover(t -> {
          VmCore.LOG.warning(vm.name() + ": pid " + record.pid() + " is ours but QMP failed: " + t.getMessage());
          vm.sm.moveTo(FAILED, "reattach-failed");
          return Future.succeededFuture();
        });
  }

  private Future<QmpLink> connect(Incarnation run, long deadline) {
    return ConnectLoop.connect(vm.vertx, vm.deps.connector(), vm.paths.qmpSocket(), vm.name(), () -> !run.dead(),
        deadline);
  }

  private Future<Void> unverified(long pid) {
    VmCore.LOG.warning(vm.name() + ": process " + pid + " names this VM's QMP socket but cannot be proven ours"
        + " (pid/start time/command line differ from runtime.json); not adopting it and not starting the VM");
    vm.sm.moveTo(FAILED, "unverified-process");
    return Future.succeededFuture();
  }

  /**
   * No QEMU of ours runs. With a runtime record it died while the daemon was down: CRASHED, and the policy applies
   * when the operator wants it running. Without one it was not running when the daemon left (stopped, or crashed
   * and not restarted): it stays DEFINED and is not started behind the operator's back.
   */
  private Future<Void> gone(StoredVm stored) {
    if (stored == null || stored.runtime() == null) {
      return Future.succeededFuture();
    }
    vm.sm.moveTo(CRASHED, "died-while-daemon-down");
    // the policy applies even when the stale record cannot be removed (it is retried; the process is gone either way)
    return vm.record.clearRuntime().transform(ar -> {
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

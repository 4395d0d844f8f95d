package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.FAILED;
import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;
import static io.vmsup.supervisor.api.VmState.STARTING;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.launch.QemuLauncher;
import io.vmsup.supervisor.launch.Spawned;
import io.vmsup.supervisor.link.ConnectLoop;
import io.vmsup.supervisor.link.QmpLink;
import io.vmsup.supervisor.store.RuntimeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Intent record → spawn → runtime record → QMP connect (polled while QEMU creates its socket) → {@code query-status} → RUNNING (or
 * PAUSED for {@code startPaused}, rendered with {@code -S}). Any failure on the way ends in FAILED with the exit
 * code and the tail of QEMU's log, and the process killed.
 */
final class StartFlow {

  private static final int LOG_TAIL_LINES = 20;

  private final VmCore vm;
  private final Handler<JsonObject> events;
  private final Handler<Incarnation> onRunning;

  StartFlow(VmCore vm, Handler<JsonObject> events, Handler<Incarnation> onRunning) {
    this.vm = vm;
    this.events = events;
    this.onRunning = onRunning;
  }

  Future<Void> launch(String reason) {
    return launch(reason, Future::succeededFuture);
  }

  /**
   * Moves to STARTING at once (so no other command of this VM can slip in while {@code first} runs), then runs
   * {@code first} (the {@code desired} write of a requested start), then spawns.
   */
  Future<Void> launch(String reason, Supplier<Future<Void>> first) {
    vm.sm.moveTo(STARTING, reason);
    vm.run = null;
    vm.lastShutdown = null;
    vm.stopping = false;
    vm.exitCode = null;
    long t0 = System.nanoTime();
    Instant startedAt = vm.now();
    String nonce = UUID.randomUUID().toString();
    String socket = vm.paths.qmpSocket().toString();
    // unordered: spawns of one VM never overlap, and an ordered queue would put it behind the VM's file writes
    return first.get()
        .compose(v -> CgroupBinding.previousRetired(vm))
        .compose(v -> LayoutRecorder.completeBeforeStart(vm))
        // the intent before the spawn: a daemon killed at any instant after it leaves a QEMU the next one can prove
        // its own (the nonce in its environment); a daemon killed before it leaves no QEMU
        .compose(v -> vm.record.runtime(RuntimeRecord.intent(socket, startedAt, nonce)))
        .compose(v -> vm.vertx.<Spawned>executeBlocking(() -> spawn(nonce), false)
            .recover(t -> failed(t instanceof VmException bad && bad.code() == ErrorCode.INVALID ? bad
                : new VmException(ErrorCode.INTERNAL, "cannot spawn QEMU: " + t.getMessage()))))
        .compose(sp -> {
          vm.run = new Incarnation(vm.vertx, vm.context, sp.process().toHandle(), sp.process(), startedAt,
              sp.procStartTime(), sp.watch(), vm.prober);
          vm.refresh();
          Incarnation run = vm.run;
          long deadline = t0 + vm.deps.options().startTimeout().toNanos();
          // The runtime record (fsync'd, ~12 ms here) is written while QEMU initialises; RUNNING waits for both.
          Future<Void> recorded = vm.record.runtime(new RuntimeRecord(sp.pid(),
              sp.procStartTime(), socket, startedAt, nonce));
          return connect(run, deadline).compose(link -> ready(run, link, t0, recorded));
        })
        .recover(this::failStart);
  }

  /** Renders, confines (grants and setpriv when qemuUids is set) and spawns. Blocking. */
  private Spawned spawn(String nonce) throws java.io.IOException {
    java.util.List<String> argv = vm.def.render(vm.paths);
    io.vmsup.supervisor.launch.Confinement c = Confine.plan(vm);
    io.vmsup.supervisor.cgroup.VmCgroup group = null;
    try {
      group = CgroupBinding.prepare(vm);
      java.util.List<String> cmd = new java.util.ArrayList<>(CgroupBinding.prefix(group));
      cmd.addAll(Confine.launch(c, argv));
      Spawned sp = QemuLauncher.spawn(cmd, vm.paths, nonce);
      io.vmsup.supervisor.cgroup.VmCgroup joined = group;
      vm.context.runOnContext(x -> {
        vm.confinement = c;
        CgroupBinding.adopted(vm, joined);
      });
      return sp;
    } catch (java.io.IOException | RuntimeException e) {
      if (c != null) {
        c.release();
      }
      CgroupBinding.retire(vm, group);
      throw e;
    }
  }

  /** Blocking: the grants of a QEMU that did not start are taken back. */
  private void releaseConfinement() {
    io.vmsup.supervisor.launch.Confinement c = vm.confinement;
    if (c != null) {
      vm.context.runOnContext(x -> vm.confinement = null);
      c.release();
    }
  }

  private Future<QmpLink> connect(Incarnation run, long deadline) {
    if (run.dead()) {
      return failed(new VmException(ErrorCode.INTERNAL, "QEMU exited during start"));
    }
    return ConnectLoop.connect(vm.vertx, vm.deps.connector(), vm.paths.qmpSocket(), vm.name(), () -> !run.dead(),
        deadline).recover(t -> failed(run.dead() ? new VmException(ErrorCode.INTERNAL, "QEMU exited during start")
            : System.nanoTime() > deadline ? new VmException(ErrorCode.INTERNAL, "QMP not ready within "
                + vm.deps.options().startTimeout().toMillis() + " ms: " + t.getMessage()) : t));
  }

  private Future<Void> ready(Incarnation run, QmpLink link, long t0, Future<Void> recorded) {
    run.attach(link);
    link.onEvent(events);
    // "ready" is the first command's reply, not the greeting (QEMU greets before it can run commands).
    Future<Object> status = link.execute("query-status", new JsonObject(), vm.deps.options().commandTimeout());
    return Future.all(status, recorded).compose(both -> LayoutRecorder.recordIfMissing(vm, link)).map(both -> {
      Object s = status.result();
      boolean running = s instanceof JsonObject j && j.getBoolean("running", false);
      vm.lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
      vm.runningSince = vm.now();
      vm.qemuVersion = link.qemuVersion();
      vm.sm.moveTo(running ? RUNNING : PAUSED, "qmp-ready");
      onRunning.handle(run);
      return null;
    });
  }

  private Future<Void> failStart(Throwable cause) {
    Incarnation run = vm.run;
    Future<Boolean> gone = Future.succeededFuture(true);
    if (run != null && !run.exit().isComplete()) {
      run.sigkill();
      gone = run.awaitExit(Duration.ofSeconds(5));
    }
    return gone
        .compose(v -> vm.vertx.executeBlocking(() -> {
          releaseConfinement();
          CgroupBinding.retire(vm, vm.cgroup);
          return QemuLauncher.lastRunTail(vm.paths.qemuLog(), LOG_TAIL_LINES);
        }))
        .compose(tail -> {
          if (run != null) {
            vm.exitCode = run.exitCode().orElse(null);
            if (run.qmp() != null) {
              run.detach();
            }
          }
          if (vm.sm.canMoveTo(FAILED)) {
            vm.sm.moveTo(FAILED, "start-failed");
          }
          JsonObject details = new JsonObject().put("state", vm.sm.state().json()).put("exitCode", vm.exitCode)
              .put("logTail", new JsonArray(tail));
          VmException e = PersistReplies.startFailure(vm, run != null, cause, details);
          return vm.record.clearRuntime().transform(ar -> Future.<Void>failedFuture(e));
        });
  }

  private static <T> Future<T> failed(Throwable t) {
    return Future.failedFuture(t);
  }
}

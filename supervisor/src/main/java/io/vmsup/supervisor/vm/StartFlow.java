package io.vmsup.supervisor.vm;

import static io.vmsup.supervisor.api.VmState.FAILED;
import static io.vmsup.supervisor.api.VmState.PAUSED;
import static io.vmsup.supervisor.api.VmState.RUNNING;
import static io.vmsup.supervisor.api.VmState.STARTING;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.qmp.StatusInfo;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.cgroup.VmCgroup;
import io.vmsup.supervisor.launch.Confinement;
import io.vmsup.supervisor.launch.HandOver;
import io.vmsup.supervisor.launch.QemuLauncher;
import io.vmsup.supervisor.launch.Spawned;
import io.vmsup.supervisor.launch.StartQueue;
import io.vmsup.supervisor.link.QmpLink;
import io.vmsup.supervisor.link.SocketWatch;
import io.vmsup.supervisor.store.Desired;
import io.vmsup.supervisor.store.RuntimeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Intent record → spawn → runtime record → QMP connect (when inotify sees QEMU create its socket) → {@code query-status} → RUNNING (or
 * PAUSED for {@code startPaused}, rendered with {@code -S}). Any failure on the way ends in FAILED with the exit
 * code and the tail of QEMU's log, and the process killed.
 */
final class StartFlow {

  private static final int LOG_TAIL_LINES = 20;

  private final VmCore vm;
  private final Handler<QmpEvent> events;
  private final Handler<Incarnation> onRunning;
  /** The descriptors of the start under way (starts of one VM never overlap), closed when it ends. */
  private HandOver.Prepared handed = HandOver.Prepared.none();
  /** The watch for the QMP socket of the start under way (made on a worker beside the records' write). */
  private SocketWatch.Watched watched;
  private final StartTurn turn;
  /** The intent a create-and-start wrote with the VM's records, for its first requested start; then null. */
  private RuntimeRecord firstIntent;

  StartFlow(VmCore vm, Handler<QmpEvent> events, Handler<Incarnation> onRunning, RuntimeRecord firstIntent) {
    this.vm = vm;
    this.events = events;
    this.onRunning = onRunning;
    this.turn = new StartTurn(vm);
    this.firstIntent = firstIntent;
  }

  Future<Void> launch(Reason reason) {
    return launch(reason, null);
  }

  /**
   * Moves to STARTING at once (so no other command of this VM can slip in meanwhile), then writes the records that
   * must precede a spawn (the desired state {@code want} of a requested start, null for a restart, and the intent) in
   * one write while the host is prepared; then the start waits for its turn in the start queue, which it holds from
   * the spawn until QMP answers (QEMU's own start-up is what costs the host's CPUs).
   */
  Future<Void> launch(Reason reason, Desired want) {
    vm.moveTo(STARTING, reason);
    vm.beginStart();
    // a create-and-start's first start: its desired state and intent are on disk with the VM's spec already
    RuntimeRecord done = want == Desired.RUNNING ? firstIntent : null;
    firstIntent = null;
    String socket = vm.paths().qmpSocket().toString();
    long[] t0 = {System.nanoTime()};
    Instant startedAt = done != null ? done.startedAt() : vm.now();
    String nonce = done != null ? done.nonce() : UUID.randomUUID().toString();
    // the intent before the spawn: a daemon killed at any instant after it leaves a QEMU the next one can prove its
    // own (the nonce in its environment); a daemon killed before it leaves no QEMU. Its fsyncs overlap the preparation.
    RuntimeRecord intent = RuntimeRecord.intent(socket, startedAt, nonce);
    Future<Void> written = done != null ? Future.succeededFuture()
        : want == null ? vm.record().runtime(intent) : vm.record().start(want, intent);
    // the launch's own preparation (the last QEMU's socket gone and its creation watched, logs rotated) runs beside
    // that write on another worker: only the spawn itself waits for the records
    Future<SocketWatch.Watched> staged = vm.vertx().executeBlocking(this::stage, false)
        .recover(t -> failed(new VmException(ErrorCode.INTERNAL, "cannot spawn QEMU: " + t.getMessage())));
    // a fleet's word first: a relocatable VM runs only on its owner, and only while that member is not cut off
    Future<Void> prepared = vm.options().fleet().mayRun(vm.name(), vm.definition().json())
        .compose(v -> CgroupBinding.previousRetired(vm))
        .compose(v -> LayoutRecorder.completeBeforeStart(vm))
        .compose(v -> NicTaps.prepare(vm))
        // every handed-over NIC is opened before the spawn: an interface that cannot be opened starts no QEMU
        .compose(v -> openNics());
    // both end before the start goes on or fails (a failure must not undo what a preparation still makes)
    Future<Void> launch = Future.join(written, prepared, staged)
        .transform(ar -> {
          watched = staged.result(); // null when it failed: then nothing is watched
          return written.failed() ? written : prepared.failed() ? prepared : staged.<Void>mapEmpty();
        })
        .compose(v -> turn.take())
        // unordered: spawns of one VM never overlap, and an ordered queue would put it behind the VM's file writes
        .compose(v -> {
          t0[0] = System.nanoTime(); // the start timeout and lastStartMs count from the turn, not the queue
          return vm.vertx().<Spawned>executeBlocking(() -> spawn(nonce), false)
              .recover(t -> failed(t instanceof VmException bad && bad.code() == ErrorCode.INVALID ? bad
                  : new VmException(ErrorCode.INTERNAL, "cannot spawn QEMU: " + t.getMessage())));
        })
        .compose(sp -> {
          Incarnation run = new Incarnation(vm.vertx(), vm.context(), sp.pid(), sp.handle(), sp.exit(),
              startedAt, sp.procStartTime(), sp.watch(), vm.prober());
          vm.runs(run);
          long deadline = t0[0] + vm.options().startTimeout().toNanos();
          // The runtime record (fsync'd, ~12 ms here) is written while QEMU initialises; RUNNING waits for both.
          Future<Void> recorded = vm.record().runtime(new RuntimeRecord(sp.pid(),
              sp.procStartTime(), socket, startedAt, nonce));
          return connect(run, deadline).compose(link -> ready(run, link, t0[0], recorded));
        })
        .recover(t -> t instanceof StartQueue.Cancelled c ? turn.cancelled(c) : failStart(t))
        .onComplete(ar -> {
          turn.release();
          closeNics();
          unwatch();
        });
    turn.started(launch);
    return launch;
  }

  /** The VM is gone: its start queue entry goes too. */
  void forget() {
    turn.forget();
  }

  /** Whether this VM's start waits for its turn in the start queue. */
  boolean queued() {
    return turn.waiting();
  }

  /** Takes this VM's waiting start out of the queue; completes once it is STOPPED (CONFLICT when none waits). */
  Future<Void> cancelQueued(Reason why) {
    return turn.cancel(why);
  }

  private Future<Void> openNics() {
    var spec = vm.definition().spec();
    if (HandOver.nics(spec).isEmpty() && spec.incomingFile().isEmpty()) {
      return Future.succeededFuture(); // nothing to open: no worker hop on the start's path
    }
    return vm.vertx().executeBlocking(() -> HandOver.open(vm.definition().spec()), false)
        .recover(t -> failed(new VmException(ErrorCode.INTERNAL, t.getMessage())))
        .map(p -> {
          handed = p;
          return null;
        });
  }

  /** QEMU holds its own copies by now (or never will): the daemon's go. */
  private void closeNics() {
    HandOver.Prepared p = handed;
    handed = HandOver.Prepared.none();
    if (!p.isEmpty()) {
      vm.vertx().executeBlocking(() -> {
        p.close();
        return null;
      }, false);
    }
  }

  /**
   * Blocking: the last QEMU's socket and pid file removed, the logs rotated, then the socket's creation watched (from
   * after its removal, so the creation cannot be missed). Writes no record and spawns nothing.
   */
  private SocketWatch.Watched stage() throws java.io.IOException {
    QemuLauncher.prepare(vm.paths());
    return SocketWatch.shared().watch(vm.paths().qmpSocket(), vm.context());
  }

  /** Renders, confines (grants and setpriv when qemuUids is set) and spawns, once {@link #stage} ran. Blocking. */
  private Spawned spawn(String nonce) throws java.io.IOException {
    io.vmsup.supervisor.image.ManagedDisks.writeSeed(vm.deps().store().vmDir(vm.name()), vm.definition().spec());
    List<String> argv = vm.definition().render(vm.paths());
    Confinement c = Confine.plan(vm);
    VmCgroup group = null;
    try {
      group = CgroupBinding.prepare(vm);
      List<String> cmd = new ArrayList<>(CgroupBinding.prefix(group));
      cmd.addAll(Confine.launch(c, argv));
      Spawned sp = QemuLauncher.exec(cmd, vm.paths(), nonce);
      VmCgroup joined = group;
      vm.context().runOnContext(x -> {
        vm.confinement().granted(c);
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

  /** Never blocks: no worker hop at the end of a start (the directory watch stays while others hold it). */
  private void unwatch() {
    SocketWatch.Watched w = watched;
    watched = null;
    if (w != null) {
      w.cancel();
    }
  }

  /** Blocking: the grants of a QEMU that did not start are taken back. */
  private void releaseConfinement() {
    Confinement c = vm.confinement().grants();
    if (c != null) {
      vm.context().runOnContext(x -> vm.confinement().granted(null));
      c.release();
    }
  }

  private Future<QmpLink> connect(Incarnation run, long deadline) {
    if (run.dead()) {
      return failed(new VmException(ErrorCode.INTERNAL, "QEMU exited during start"));
    }
    // no guessing: the next attempt runs when the socket appears or the process exits
    io.vertx.core.Promise<Void> wake = io.vertx.core.Promise.promise();
    run.exit().onComplete(x -> wake.tryComplete());
    if (watched != null) {
      watched.created().onComplete(x -> wake.tryComplete());
    }
    return QmpPeers.connect(vm, run, deadline, wake.future()).recover(t -> {
      if (QmpPeers.refused(t)) {
        QmpPeers.report(vm, run, t);
        return failed(t);
      }
      return failed(run.dead() ? new VmException(ErrorCode.INTERNAL, "QEMU exited during start")
          : System.nanoTime() > deadline ? new VmException(ErrorCode.INTERNAL, "QMP not ready within "
              + vm.options().startTimeout().toMillis() + " ms: " + t.getMessage()) : t);
    });
  }

  private Future<Void> ready(Incarnation run, QmpLink link, long t0, Future<Void> recorded) {
    run.attach(link);
    link.onEvent(events);
    // "ready" is the first command's reply, not the greeting (QEMU greets before it can run commands); a launch
    // form that left NICs to the daemon's hand-over started paused: plug them, then cont
    Future<StatusInfo> status = HandOverStart.run(vm, link, handed, events)
        .compose(h -> link.execute(QmpCommands.queryStatus(), vm.options().commandTimeout()));
    return Future.all(status, recorded).compose(both -> LayoutRecorder.recordIfMissing(vm, link)).map(both -> {
      boolean running = status.result().running();
      vm.ready(link, Duration.ofNanos(System.nanoTime() - t0));
      vm.moveTo(running ? RUNNING : PAUSED, Reason.QMP_READY);
      onRunning.handle(run);
      return null;
    });
  }

  private Future<Void> failStart(Throwable cause) {
    Incarnation run = vm.run();
    Future<Boolean> gone = Future.succeededFuture(true);
    if (run != null && !run.exit().isComplete()) {
      run.sigkill();
      gone = run.awaitExit(Duration.ofSeconds(5));
    }
    return gone
        .compose(g -> NicTaps.remove(vm).map(g))
        .compose(v -> vm.vertx().executeBlocking(() -> {
          releaseConfinement();
          CgroupBinding.retire(vm, vm.confinement().cgroup());
          return QemuLauncher.lastRunTail(vm.paths().qemuLog(), LOG_TAIL_LINES);
        }))
        .compose(tail -> {
          if (run != null) {
            vm.exited(run);
            if (run.qmp() != null) {
              run.detach();
            }
          }
          if (vm.canMoveTo(FAILED)) {
            vm.moveTo(FAILED, QmpPeers.refused(cause) ? Reason.QMP_WRONG_PEER : Reason.START_FAILED);
          }
          JsonObject details = new JsonObject().put("state", vm.state().json()).put("exitCode", vm.exitCode())
              .put("logTail", new JsonArray(tail));
          VmException e = PersistReplies.startFailure(vm, run != null, cause, details);
          return vm.record().clearRuntime().transform(ar -> Future.<Void>failedFuture(e));
        });
  }

  private static <T> Future<T> failed(Throwable t) {
    return Future.failedFuture(t);
  }
}

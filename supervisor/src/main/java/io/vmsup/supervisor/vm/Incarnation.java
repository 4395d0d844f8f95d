package io.vmsup.supervisor.vm;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vmsup.supervisor.launch.Evidence;
import io.vmsup.supervisor.launch.Liveness;
import io.vmsup.supervisor.launch.ProcWatch;
import io.vmsup.supervisor.link.QmpLink;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One run of QEMU for a VM: its process handle, its QMP link and two signals, both delivered on the VM's context.
 * {@link #exit()} completes when the OS says the process is gone (with the exit code for a child, -1 for an adopted
 * process whose code the kernel does not tell us); {@link #death()} completes at the first sign of death — the QMP
 * socket's close (≈10 ms after SIGKILL) or the exit, whichever comes first. A QMP close is only a hint: when the
 * process may be alive, {@link #rearm()} gives a fresh death signal (the exit, or the next link's close).
 *
 * <p>A periodic probe reads the process's {@code /proc} entry by path ({@link ProcWatch}: no descriptor held, the
 * start time recorded at spawn or adoption tells a reused pid) on the supervision worker and hands each {@link Evidence} to the listener. For an adopted process the probe is also
 * the exit signal: only positive evidence (ESRCH, a zombie) completes {@link #exit()}; the JDK's own poll of a
 * non-child ({@code ProcessHandle.onExit()}) is not used, because it takes any failure to read {@code /proc}
 * (EMFILE included) for the process's death.
 */
final class Incarnation {

  private final Vertx vertx;
  private final long pid;
  private final ProcessHandle handle;
  private boolean child;
  private final Promise<Integer> exit = Promise.promise();
  private Promise<String> death = Promise.promise();
  private final Instant startedAt;
  private final long procStartTime;
  private final WorkerExecutor prober;
  private final ProcWatch watch;
  private QmpLink qmp;
  private boolean detached;
  private Future<Evidence> inflight;
  private boolean stopped;
  private final Context context;
  private ProbeSweep.Member probes;
  private Handler<Evidence> listener = e -> { };

  /**
   * @param procStartTime the start time from {@code /proc/<pid>/stat}, to tell this process from a reused pid
   * @param watch         the process's watch, start time pinned (null: one is made for {@code procStartTime})
   * @param prober        the supervision worker the probes run on
   */
  Incarnation(Vertx vertx, Context context, long pid, ProcessHandle handle, CompletionStage<Integer> childExit,
      Instant startedAt, long procStartTime, ProcWatch watch, WorkerExecutor prober) {
    this.vertx = vertx;
    this.context = context;
    this.pid = pid;
    this.handle = handle;
    this.child = childExit != null;
    this.startedAt = startedAt;
    this.procStartTime = procStartTime;
    this.watch = watch != null ? watch : ProcWatch.of(pid, procStartTime);
    this.prober = prober;
    if (childExit != null) {
      Future.fromCompletionStage(childExit, context).onComplete(ar -> {
        if (ar.succeeded()) {
          exited(ar.result());
        } else {
          watchAsAdopted(); // the spawner is gone: the exit is no longer reported, the process may well live
        }
      });
    }
    // an adopted process's exit is seen by the probe (QMP's close stays the fast signal); a child's by waitpid
    schedule(child ? CHILD_PROBE_MS : ADOPTED_PROBE_MS);
  }

  // the daemon's one probe sweep reads every due process in one worker task per tick (no timer per VM)
  private void schedule(long every) {
    probes = ProbeSweep.of(vertx).join(context, (int) (every / ProbeSweep.TICK_MS), this::readEvidence, this::swept);
  }

  private void swept(Evidence e) {
    if (stopped) {
      return;
    }
    listener.handle(judged(e));
  }

  private void watchAsAdopted() {
    child = false;
    if (!stopped && probes != null) {
      probes.leave();
      schedule(ADOPTED_PROBE_MS);
    }
  }

  /** How often an adopted process is probed: its probe is its exit signal when QMP says nothing. */
  static final long ADOPTED_PROBE_MS = 250;
  /** How often a child is probed: only to see it stopped by a signal ({@code responsive}). */
  static final long CHILD_PROBE_MS = 1000;

  /** Receives every periodic probe's evidence, on the VM's context. */
  void onEvidence(Handler<Evidence> listener) {
    this.listener = listener;
  }

  /**
   * Reads the evidence once, on the supervision worker, and completes on the VM's context. Positive evidence of
   * death of an adopted process completes {@link #exit()} (code -1: the kernel does not tell a non-parent).
   */
  Future<Evidence> probe() {
    if (exit.future().isComplete()) {
      return Future.succeededFuture(new Evidence(Liveness.DEAD, false, 0, "exited"));
    }
    if (stopped) {
      return Future.succeededFuture(Evidence.unknown("no longer supervised"));
    }
    if (inflight != null) {
      return inflight; // one read at a time per watch: share the one under way (its first listener judged it)
    }
    Future<Evidence> read = prober.<Evidence>executeBlocking(this::readEvidence, false)
        .otherwise(t -> Evidence.unknown("probe failed: " + t));
    // set before any listener: a read that completed already runs its listeners at once, on this context
    inflight = read;
    return read.map(e -> {
      if (inflight == read) {
        inflight = null;
      }
      return judged(e);
    });
  }

  private Evidence judged(Evidence e) {
    if (e.liveness() == Liveness.DEAD && !child) {
      exited(-1);
    }
    return e;
  }

  private Evidence readEvidence() {
    return watch.probe();
  }

  private void exited(int code) {
    exit.tryComplete(code);
    death.tryComplete("exit");
    stopProbing();
  }

  long pid() {
    return pid;
  }

  Instant startedAt() {
    return startedAt;
  }

  long procStartTime() {
    return procStartTime;
  }

  /**
   * True for a QEMU we spawned while the spawner that reaps it lives: its exit is seen at once. An adopted one's exit
   * is polled (≈300 ms).
   */
  boolean isChild() {
    return child;
  }

  Future<Integer> exit() {
    return exit.future();
  }

  Future<String> death() {
    return death.future();
  }

  boolean dead() {
    return death.future().isComplete();
  }

  /** The exit code if the process was reaped already. */
  Optional<Integer> exitCode() {
    return exit.future().isComplete() ? Optional.of(exit.future().result()) : Optional.empty();
  }

  QmpLink qmp() {
    return qmp;
  }

  void attach(QmpLink link) {
    this.qmp = link;
    link.closed().onComplete(v -> {
      if (!detached && qmp == link) {
        death.tryComplete("qmp-closed");
      }
    });
  }

  /**
   * After a QMP close that may not be QEMU's death (the process may be alive): a fresh {@link #death()}, completed by
   * the exit or by the close of the link {@link #attach(QmpLink)} adds next. No-op when the process is already gone.
   */
  void rearm() {
    if (!exit.future().isComplete() && death.future().isComplete()) {
      death = Promise.promise();
    }
  }

  /** Closes QMP without treating it as death: the daemon leaves, QEMU stays. */
  Future<Void> detach() {
    detached = true;
    return qmp == null ? Future.succeededFuture() : qmp.close();
  }

  /** Stops the periodic probe (the daemon leaves, or the run is over). */
  void stopProbing() {
    stopped = true;
    if (probes != null) {
      probes.leave();
      probes = null;
    }
  }

  /** SIGTERM; a no-op once the process is gone (the handle checks its start time: a reused pid is never hit). */
  void sigterm() {
    if (handle != null) {
      handle.destroy();
    }
  }

  void sigkill() {
    if (handle != null) {
      handle.destroyForcibly();
    }
  }

  /** Completes with true when the process dies within {@code timeout}, false otherwise. */
  Future<Boolean> awaitDeath(Duration timeout) {
    return await(death.future(), timeout);
  }

  /** Completes with true when the process is gone (reaped or vanished) within {@code timeout}. */
  Future<Boolean> awaitExit(Duration timeout) {
    return await(exit.future(), timeout);
  }

  /**
   * Completes once the QMP connection closed (true) or after {@code timeout} (false). After the process exit, this
   * lets the last bytes QEMU wrote (its SHUTDOWN event) be read before anyone decides why it died.
   */
  Future<Boolean> awaitQmpClosed(Duration timeout) {
    return qmp == null ? Future.succeededFuture(true) : await(qmp.closed(), timeout);
  }

  private Future<Boolean> await(Future<?> what, Duration timeout) {
    if (what.isComplete()) {
      return Future.succeededFuture(true);
    }
    Promise<Boolean> p = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> p.tryComplete(false));
    what.onComplete(ar -> {
      vertx.cancelTimer(timer);
      p.tryComplete(true);
    });
    return p.future();
  }
}

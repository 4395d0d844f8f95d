package io.vmsup.supervisor.vm;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Shareable;
import io.vmsup.supervisor.launch.Evidence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The liveness probes of every VM of one Vert.x instance, on one timer: each tick reads the due processes' evidence
 * in one task on the supervision worker, then hands it to each VM on its own context with one task per event loop.
 * A thousand VMs cost one timer and one worker task per tick, not a thousand of each. Processes probed less often
 * than every tick are spread evenly over the ticks of their period. A tick whose pass is still running (a slow
 * {@code /proc}) is skipped, so passes never pile up; the members due on it are probed at the next pass. The reads have a host-wide budget ({@link #READS_PER_TICK}):
 * beyond it each process's period grows with the number of processes (10,000 at 400 reads a second: each every
 * 25 s), the longest-waiting first. A VM's death is not waiting on this: the spawner reports a child's exit at once
 * and QMP's close makes the VM probe its QEMU on the spot; the sweep sees signal stops and is an orphan's slow net.
 */
final class ProbeSweep implements Shareable {

  /** The sweep's period; a member is probed every {@code every} ticks. */
  static final long TICK_MS = 250;
  /** At most this many {@code /proc} reads per tick over all processes. */
  static final int READS_PER_TICK = 100;

  private static final String KEY = "vmsup.liveness.sweep";

  private final VertxInternal vertx;
  private final WorkerExecutor prober;
  private final Set<Member> members = ConcurrentHashMap.newKeySet();
  /** Members joined since the last pass, taken into {@link #queue} by the next one. */
  private final java.util.Queue<Member> joined = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /**
   * The members by the tick they are next due at, earliest first (the longest-waiting first when over the budget),
   * so a pass touches only the due ones, not all 10,000 every 250 ms. Confined to the sweep's context; a member
   * that left is dropped when it comes up.
   */
  private final java.util.PriorityQueue<Member> queue = new java.util.PriorityQueue<>(
      java.util.Comparator.comparingLong((Member m) -> m.next));
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicInteger phases = new AtomicInteger();
  // confined to the sweep's own context (not a deployment's: undeploying a VM must not cancel the sweep's timer)
  private final ContextInternal context;
  private volatile long tick; // written on the sweep's context only; read by tests
  private boolean busy;
  private int largestPass;

  private final int budget;

  private ProbeSweep(VertxInternal vertx, int budget) {
    this.budget = Math.max(1, budget);
    this.vertx = vertx;
    this.prober = vertx.createSharedWorkerExecutor(VmCore.PROBER_POOL, 1);
    this.context = vertx.createEventLoopContext();
  }

  /** The sweep of {@code vertx} (one per instance). */
  static ProbeSweep of(Vertx vertx) {
    return (ProbeSweep) vertx.sharedData().getLocalMap(KEY)
        .computeIfAbsent(KEY, k -> new ProbeSweep((VertxInternal) vertx, READS_PER_TICK));
  }

  /** A sweep of its own with another budget (tests). */
  static ProbeSweep withBudget(Vertx vertx, int readsPerTick) {
    return new ProbeSweep((VertxInternal) vertx, readsPerTick);
  }

  /**
   * Probes a process every {@code every} ticks from the next tick on, until {@link Member#leave()}.
   *
   * @param context where {@code deliver} runs
   * @param read    reads the evidence; runs on the supervision worker, one read at a time daemon-wide
   * @param deliver receives each evidence on {@code context}; may still receive one after {@code leave()}
   */
  Member join(Context context, int every, Supplier<Evidence> read, Handler<Evidence> deliver) {
    Member m = new Member((ContextInternal) context, Math.max(1, every), Math.floorMod(phases.getAndIncrement(),
        Math.max(1, every)), read, deliver);
    members.add(m);
    joined.add(m);
    if (started.compareAndSet(false, true)) {
      this.context.runOnContext(v -> vertx.setPeriodic(TICK_MS, this::pass));
    }
    return m;
  }

  /** How many ticks have fired (tests). */
  long ticks() {
    return tick;
  }

  /** The most reads one pass has made so far (tests). */
  int largestPass() {
    return largestPass;
  }

  /** How many processes are probed (tests). */
  int size() {
    return members.size();
  }

  private void pass(long timer) {
    long now = tick++;
    if (busy) {
      return;
    }
    List<Member> due = dueNow(now);
    if (due.isEmpty()) {
      return;
    }
    largestPass = Math.max(largestPass, due.size());
    busy = true;
    try {
      prober.<List<Evidence>>executeBlocking(() -> readAll(due), false).onComplete(ar -> {
        busy = false;
        if (ar.succeeded()) {
          deliver(due, ar.result());
        }
      });
    } catch (RejectedExecutionException closing) {
      // the Vert.x instance is closing and took the worker pool with it: nothing is left to probe for
      vertx.cancelTimer(timer);
    }
  }

  // each member is due every max(every, members / budget) ticks; over the budget the longest-waiting go first
  private List<Member> dueNow(long now) {
    for (Member m; (m = joined.poll()) != null; ) {
      m.next = now + m.phase; // spread a newcomer over its period
      queue.add(m);
    }
    long stretch = Math.max(1, (members.size() + budget - 1) / budget);
    List<Member> due = new ArrayList<>();
    while (due.size() < budget && !queue.isEmpty() && queue.peek().next <= now) {
      Member m = queue.poll();
      if (members.contains(m)) {
        due.add(m);
      }
    }
    for (Member m : due) {
      m.next = now + Math.max(m.every, stretch);
      queue.add(m);
    }
    return due;
  }

  private static List<Evidence> readAll(List<Member> due) {
    List<Evidence> out = new ArrayList<>(due.size());
    for (Member m : due) {
      Evidence e;
      try {
        e = m.read.get();
      } catch (RuntimeException ex) {
        // one process's failed read is that process's "cannot tell", never the others'
        e = Evidence.unknown("probe failed: " + ex);
      }
      out.add(e);
    }
    return out;
  }

  // one task per event loop carries that loop's VMs' evidence; each VM's handler runs on its own context
  private static void deliver(List<Member> due, List<Evidence> evidence) {
    Map<EventLoop, List<Runnable>> byLoop = new HashMap<>();
    for (int i = 0; i < due.size(); i++) {
      Member m = due.get(i);
      Evidence e = evidence.get(i);
      if (!m.context.isEventLoopContext()) {
        m.context.runOnContext(v -> m.deliver.handle(e));
        continue;
      }
      byLoop.computeIfAbsent(m.context.nettyEventLoop(), k -> new ArrayList<>())
          .add(() -> m.context.dispatch(e, m.deliver)); // dispatch reports a handler's failure to its context
    }
    byLoop.forEach((loop, tasks) -> loop.execute(() -> tasks.forEach(Runnable::run)));
  }

  /** One probed process. */
  final class Member {
    private final ContextInternal context;
    private final int every;
    private final int phase;
    private final Supplier<Evidence> read;
    private final Handler<Evidence> deliver;
    // the tick this member is next due at (-1: not seen by a pass yet); only the sweep's context touches it
    private long next = -1;

    private Member(ContextInternal context, int every, int phase, Supplier<Evidence> read, Handler<Evidence> deliver) {
      this.context = context;
      this.every = every;
      this.phase = phase;
      this.read = read;
      this.deliver = deliver;
    }

    /** No more probes from the next tick on. */
    void leave() {
      members.remove(this);
    }
  }
}

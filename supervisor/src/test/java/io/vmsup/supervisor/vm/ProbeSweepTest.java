package io.vmsup.supervisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vmsup.supervisor.launch.Evidence;
import io.vmsup.supervisor.launch.Liveness;
import io.vmsup.supervisor.launch.ProcWatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one probe sweep of a Vert.x instance, over real processes: each member's evidence arrives on its own context,
 * a killed process is seen DEAD while its neighbours stay ALIVE, a failing read costs only its own member (UNKNOWN,
 * never DEAD) and the others keep being probed, and a member that left gets no more probes.
 */
class ProbeSweepTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    processes.forEach(Process::destroyForcibly);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aKilledProcessIsSeenDeadWhileItsNeighboursStayAlive() throws Exception {
    ProbeSweep sweep = ProbeSweep.of(vertx);
    assertThat(ProbeSweep.of(vertx)).as("one sweep per Vert.x instance").isSameAs(sweep);
    List<Probed> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(join(sweep, 1 + i % 3, watch(sleeper())));
    }
    for (Probed p : all) {
      assertThat(p.next().liveness()).isEqualTo(Liveness.ALIVE);
    }
    Process victim = processes.get(2);
    victim.destroyForcibly();
    victim.waitFor(10, TimeUnit.SECONDS);
    assertThat(all.get(2).until(Liveness.DEAD).detail()).contains("gone");
    for (int i = 0; i < all.size(); i++) {
      if (i != 2) {
        all.get(i).events.clear();
        assertThat(all.get(i).next().liveness()).as("neighbour " + i).isEqualTo(Liveness.ALIVE);
      }
    }
  }

  @Test
  void aFailingReadIsUnknownForItsOwnMemberOnlyAndTheOthersKeepTheirPace() throws Exception {
    ProbeSweep sweep = ProbeSweep.of(vertx);
    Probed broken = join(sweep, 1, () -> {
      throw new IllegalStateException("disk gone");
    });
    Probed healthy = join(sweep, 1, watch(sleeper()));
    for (int i = 0; i < 3; i++) {
      Evidence e = broken.next();
      assertThat(e.liveness()).isEqualTo(Liveness.UNKNOWN);
      assertThat(e.detail()).contains("disk gone");
      assertThat(healthy.next().liveness()).isEqualTo(Liveness.ALIVE);
    }
  }

  @Test
  void aMemberThatLeftIsNoLongerProbed() throws Exception {
    ProbeSweep sweep = ProbeSweep.of(vertx);
    Probed gone = join(sweep, 1, watch(sleeper()));
    Probed stays = join(sweep, 1, watch(sleeper()));
    gone.next();
    gone.member.leave();
    assertThat(sweep.size()).isEqualTo(1);
    // a pass already under way may still deliver once; after two more passes of the neighbour, nothing new
    stays.next();
    gone.events.clear();
    stays.next();
    stays.next();
    assertThat(gone.events).isEmpty();
  }

  /**
   * Found by attack4: a pass that outlasts a tick skips the next tick, and a member probed every 2nd (or 4th) tick
   * whose ticks are always the skipped ones was never probed again (a child VM frozen by SIGSTOP went unseen).
   */
  @Test
  void aMemberWhoseTicksAreSkippedBehindASlowPassIsProbedAtTheNextPass() throws Exception {
    ProbeSweep sweep = ProbeSweep.of(vertx);
    // every read of this member lasts until the next tick has fired (and was skipped, the pass being busy)
    Probed slow = join(sweep, 2, () -> {
      long tick = sweep.ticks();
      while (sweep.ticks() == tick) {
        LockSupport.parkNanos(1_000_000);
      }
      return new Evidence(Liveness.ALIVE, false, 0, "slow");
    });
    // due on exactly the ticks the slow member's passes overlap
    Probed other = join(sweep, 2, () -> new Evidence(Liveness.ALIVE, false, 0, "other"));
    for (int i = 0; i < 5 && other.events.isEmpty(); i++) {
      slow.next();
    }
    assertThat(other.events).as("the other member was probed while the slow one was, pass after pass").isNotEmpty();
  }

  @Test
  void overItsBudgetTheSweepStretchesThePeriodAndEveryProcessTakesItsTurn() throws Exception {
    ProbeSweep sweep = ProbeSweep.withBudget(vertx, 2);
    List<Long> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Probed> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Process p = sleeper();
      Supplier<Evidence> w = watch(p);
      all.add(join(sweep, 1, () -> {
        reads.add(p.pid());
        return w.get();
      }));
    }
    for (int round = 0; round < 3; round++) {
      for (Probed p : all) {
        assertThat(p.next().liveness()).isEqualTo(Liveness.ALIVE);
      }
    }
    List<Long> seen = List.copyOf(reads);
    for (int r = 0; r < 3; r++) {
      assertThat(seen.subList(r * 6, (r + 1) * 6)).as("round " + r + ": each process once").doesNotHaveDuplicates();
    }
    assertThat(sweep.largestPass()).as("reads in one pass").isEqualTo(2);
  }

  private Probed join(ProbeSweep sweep, int every, Supplier<Evidence> read) throws Exception {
    Context context = vertx.getOrCreateContext(); // from the test thread: a context of its own
    Probed p = new Probed();
    p.member = sweep.join(context, every, read, e -> {
      if (Vertx.currentContext() != context) {
        p.elsewhere = true;
      }
      p.events.add(e);
    });
    return p;
  }

  private Process sleeper() throws Exception {
    Process p = new ProcessBuilder("sleep", "300").start();
    processes.add(p);
    return p;
  }

  private Supplier<Evidence> watch(Process p) throws Exception {
    ProcWatch w = ProcWatch.of(p.pid(), 0);
    return w::probe;
  }

  private static final class Probed {
    final BlockingQueue<Evidence> events = new LinkedBlockingQueue<>();
    volatile boolean elsewhere;
    ProbeSweep.Member member;

    Evidence next() throws InterruptedException {
      Evidence e = events.poll(30, TimeUnit.SECONDS);
      assertThat(e).as("a probe within 30 s").isNotNull();
      assertThat(elsewhere).as("every evidence delivered on the member's own context").isFalse();
      return e;
    }

    Evidence until(Liveness wanted) throws InterruptedException {
      Evidence e = next();
      while (e.liveness() != wanted) {
        e = next();
      }
      return e;
    }
  }
}

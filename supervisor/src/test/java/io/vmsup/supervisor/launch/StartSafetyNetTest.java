package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vmsup.qmp.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry's net for a start: counted from the start's turn in the queue, not from the request. */
class StartSafetyNetTest {

  private static final Duration LIMIT = Duration.ofMillis(100);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  void anAnswerPassesThrough() throws Exception {
    StartQueue q = new StartQueue(1);
    Future<String> out = onContext(() -> StartSafetyNet.guard(vertx, q, "a", LIMIT, Future.succeededFuture("ok")));
    assertThat(Await.result(out)).isEqualTo("ok");
  }

  @Test
  void aStartThatNeverWaitedAndNeverAnswersTimesOut() throws Exception {
    StartQueue q = new StartQueue(1);
    Future<String> out = onContext(() -> StartSafetyNet.guard(vertx, q, "a", LIMIT, Promise.<String>promise().future()));
    Throwable t = Await.failure(out);
    assertThat(t).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) t).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
  }

  @Test
  void theWaitForTheTurnDoesNotCountAndTheLimitRunsFromTheTurn() throws Exception {
    StartQueue q = new StartQueue(1);
    StartQueue.Ticket holder = q.enter("holder", vertx.getOrCreateContext());
    AtomicLong turnCame = new AtomicLong();
    AtomicLong failedAt = new AtomicLong();
    Future<String> out = onContext(() -> {
      Future<String> guarded = StartSafetyNet.guard(vertx, q, "a", LIMIT, Promise.<String>promise().future());
      StartQueue.Ticket mine = q.enter("a", vertx.getOrCreateContext()); // the actor asks after the request
      assertThat(mine.queued()).isTrue();
      // the holder keeps the turn for five limits, then passes it on
      vertx.setTimer(LIMIT.toMillis() * 5, id -> {
        turnCame.set(System.nanoTime());
        holder.release();
      });
      return guarded.onFailure(x -> failedAt.set(System.nanoTime()));
    });
    assertThat(Await.failure(out)).isInstanceOf(ReplyException.class);
    assertThat(turnCame.get()).as("the turn came before the net gave up").isNotZero();
    assertThat(failedAt.get() - turnCame.get()).as("the limit counted from the turn")
        .isGreaterThanOrEqualTo(LIMIT.toNanos() - Duration.ofMillis(2).toNanos());
  }

  @Test
  void turnAtIgnoresEarlierStartsOfTheKeyAndForgetsAGoneVm() {
    StartQueue q = new StartQueue(1);
    StartQueue.Ticket old = q.enter("a", vertx.getOrCreateContext());
    old.release();
    long since = System.nanoTime();
    assertThat(q.turnAt("a", since)).as("the earlier start is not this request's").isEqualTo(since);
    StartQueue.Ticket holder = q.enter("b", vertx.getOrCreateContext());
    StartQueue.Ticket a = q.enter("a", vertx.getOrCreateContext());
    assertThat(q.turnAt("a", since)).isEqualTo(StartQueue.WAITING);
    holder.release();
    long turn = q.turnAt("a", since);
    assertThat(turn - since).isPositive();
    a.release();
    assertThat(q.turnAt("a", since)).as("kept after the start ended").isEqualTo(turn);
    old.forget();
    assertThat(q.turnAt("a", since)).as("an older ticket does not forget the newer").isEqualTo(turn);
    a.forget();
    assertThat(q.turnAt("a", since)).isEqualTo(since);
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> body) throws Exception {
    CompletableFuture<Future<T>> f = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> f.complete(body.get()));
    return f.get();
  }
}

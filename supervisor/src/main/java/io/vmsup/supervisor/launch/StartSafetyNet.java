package io.vmsup.supervisor.launch;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;

/**
 * The registry's last word on a start whose actor does not answer: a limit counted from the start's turn in the
 * {@link StartQueue} (from the request when the start never waited for one). A start that waits behind others is
 * slow through no fault of its own: answering it "did not answer in time" while it then goes on to RUNNING would be a
 * lie. Used on the caller's context (its timers and the reply's callback run there).
 */
public final class StartSafetyNet {

  private StartSafetyNet() {
  }

  /**
   * {@code reply}, or a {@link ReplyFailure#TIMEOUT} failure once {@code limit} has passed since the turn of
   * {@code key}'s start (asked for after this call) came, or since this call when it never waited. The request behind
   * {@code reply} must not time out by itself first (send it with a long timeout).
   */
  public static <T> Future<T> guard(Vertx vertx, StartQueue queue, String key, Duration limit, Future<T> reply) {
    long asked = System.nanoTime();
    long limitNanos = limit.toNanos();
    Promise<T> out = Promise.promise();
    long[] timer = {-1};
    Handler<Long> check = new Handler<>() {
      @Override
      public void handle(Long id) {
        long turn = queue.turnAt(key, asked);
        // still waiting: look again a whole limit later (the turn may come at any instant in between)
        long left = turn == StartQueue.WAITING ? limitNanos : turn + limitNanos - System.nanoTime();
        if (left > 0) {
          timer[0] = vertx.setTimer(Math.max(1, Duration.ofNanos(left).toMillis()), this);
          return;
        }
        out.tryFail(new ReplyException(ReplyFailure.TIMEOUT, "no answer within " + limit.toMillis()
            + " ms of the start's turn (VM '" + key + "')"));
      }
    };
    timer[0] = vertx.setTimer(Math.max(1, limit.toMillis()), check);
    reply.onComplete(ar -> {
      vertx.cancelTimer(timer[0]);
      if (ar.succeeded()) {
        out.tryComplete(ar.result());
      } else {
        out.tryFail(ar.cause());
      }
    });
    return out.future();
  }
}

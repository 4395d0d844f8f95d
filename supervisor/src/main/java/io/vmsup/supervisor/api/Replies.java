package io.vmsup.supervisor.api;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;

/** The one way a consumer answers a request: the future's value, or its failure as a {@link VmException}. */
public final class Replies {

  private Replies() {
  }

  /**
   * Answers {@code request} once {@code answer} completes: with its value, or failed with the failure's code and
   * structured body ({@link VmException#wrap}: anything that is no {@code VmException} is INTERNAL).
   */
  public static <T> void when(Message<?> request, Future<T> answer) {
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        request.reply(ar.result());
      } else {
        VmException.wrap(ar.cause()).failReply(request);
      }
    });
  }
}

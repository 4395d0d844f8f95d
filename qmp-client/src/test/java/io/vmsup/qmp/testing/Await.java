package io.vmsup.qmp.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way tests block a test thread (never an event loop) on a Vert.x future, with a timeout; shared by every
 * module's tests through qmp-client's test-jar. A failed or late future is an {@link AssertionError}.
 */
public final class Await {

  /** The default timeout: generous, since a loaded 2-CPU machine is slow but a hang must still end the test. */
  public static final Duration DEFAULT = Duration.ofSeconds(60);

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    return result(future, DEFAULT);
  }

  public static <T> T result(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future not complete within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Polls {@code condition} on this test thread (every 20 ms) until it holds, for a condition no event announces;
   * an {@link AssertionError} saying {@code what} did not happen within {@code timeout}.
   */
  public static void until(String what, Callable<Boolean> condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  /** The failure of {@code future}; an assertion error if it succeeds or does not complete in time. */
  public static Throwable failure(Future<?> future) {
    return failure(future, DEFAULT);
  }

  public static Throwable failure(Future<?> future, Duration timeout) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("future not complete within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

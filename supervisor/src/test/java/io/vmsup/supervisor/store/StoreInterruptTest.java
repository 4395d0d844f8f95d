package io.vmsup.supervisor.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vmsup.qmp.testing.Await;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vert.x 5 interrupts the worker thread of a context it closes (an actor's undeploy: a VM's delete, the daemon's
 * stop), and the interrupt can land on a pooled worker that already runs another VM's write. An interrupt must not
 * turn a write or a delete that happened into a NOT_PERSISTED reply with the cause "null": the store's file I/O
 * completes whatever the thread's interrupt status, and keeps that status for its owner.
 */
class StoreInterruptTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Await.result(vertx.close());
  }

  /** Runs {@code op} on one context right after a task of that context left its worker thread interrupted. */
  private <T> Future<T> afterInterrupt(Context ctx, Supplier<Future<T>> op) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> {
      vertx.executeBlocking(() -> {
        Thread.currentThread().interrupt();
        return null;
      });
      op.get().onComplete(p);
    });
    return p.future();
  }

  @Test
  void aRetireOnAnInterruptedWorkerDeletesAndSaysSo() throws Exception {
    StateStore store = new StateStore(vertx, dir.resolve("state"));
    Await.result(store.init());
    Await.result(store.create("a", "{\"name\":\"a\"}", Desired.STOPPED));
    Context ctx = vertx.getOrCreateContext();
    Await.result(afterInterrupt(ctx, () -> store.retire("a")));
    assertThat(dir.resolve("state/vms/a")).doesNotExist();
  }

  @Test
  void writesOnAnInterruptedWorkerReachTheDisk() throws Exception {
    StateStore store = new StateStore(vertx, dir.resolve("state"));
    Await.result(store.init());
    Await.result(store.create("a", "{\"name\":\"a\"}", Desired.STOPPED));
    Context ctx = vertx.getOrCreateContext();
    RuntimeRecord rec = new RuntimeRecord(42, 12345, "/x/qmp.sock", Instant.parse("2026-01-01T00:00:00Z"));
    Await.result(afterInterrupt(ctx, () -> store.writeRuntime("a", rec)));
    Await.result(afterInterrupt(ctx, () -> store.writeDesired("a", Desired.RUNNING)));
    StoredVm a = Await.result(store.loadAll()).get(0);
    assertThat(a.runtime()).isEqualTo(rec);
    assertThat(a.desired()).isEqualTo(Desired.RUNNING);
    Await.result(afterInterrupt(ctx, () -> store.clearRuntime("a")));
    assertThat(dir.resolve("state/vms/a/runtime.json")).doesNotExist();
    try (var files = Files.list(dir.resolve("state/vms/a"))) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no temp files left")
          .containsExactlyInAnyOrder("spec.json", "desired");
    }
  }

  @Test
  void aCauseWithoutMessageIsNamedByItsClass() {
    assertThat(AtomicFiles.reason(new ClosedByInterruptException()))
        .isEqualTo("ClosedByInterruptException (the worker thread was interrupted)");
    assertThat(AtomicFiles.reason(new NullPointerException())).isEqualTo("NullPointerException");
  }
}

package io.vmsup.supervisor.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vmsup.qmp.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Await.result(vertx.close());
  }


  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void filesAre0600DirectoriesAre0700AndEverythingReloads() throws Exception {
    StateStore store = new StateStore(vertx, dir.resolve("state"));
    Await.result(store.init());
    Await.result(store.create("a", "{\"name\":\"a\"}", Desired.STOPPED));
    RuntimeRecord rec = new RuntimeRecord(42, 12345, "/x/qmp.sock", Instant.parse("2026-01-01T00:00:00Z"));
    Await.result(store.writeRuntime("a", rec));
    Await.result(store.writeDesired("a", Desired.RUNNING));
    Await.result(store.create("b", "{\"name\":\"b\"}", Desired.STOPPED));

    Path a = dir.resolve("state/vms/a");
    assertThat(mode(dir.resolve("state"))).isEqualTo("rwx------");
    assertThat(mode(a)).isEqualTo("rwx------");
    for (String f : List.of("spec.json", "desired", "runtime.json")) {
      assertThat(mode(a.resolve(f))).as(f).isEqualTo("rw-------");
    }
    try (var files = Files.list(a)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no temp files left")
          .containsExactlyInAnyOrder("spec.json", "desired", "runtime.json");
    }

    List<StoredVm> all = Await.result(new StateStore(vertx, dir.resolve("state")).loadAll());
    assertThat(all).extracting(StoredVm::name).containsExactly("a", "b");
    assertThat(all.get(0).desired()).isEqualTo(Desired.RUNNING);
    assertThat(all.get(0).runtime()).isEqualTo(rec);
    assertThat(all.get(0).specJson()).isEqualTo("{\"name\":\"a\"}");
    assertThat(all.get(1).runtime()).isNull();

    Await.result(store.clearRuntime("a"));
    Await.result(store.delete("b"));
    all = Await.result(store.loadAll());
    assertThat(all).extracting(StoredVm::name).containsExactly("a");
    assertThat(all.get(0).runtime()).isNull();
  }

  /**
   * A burst's creates all run on the registry's context: a create's write must not queue behind that context's other
   * blocking work (before, the context's ordered queue wrote 200 new VMs one after the other: the last create of a
   * 200-VM burst was answered ~4 s after the first, each waiting for the previous one's flushes).
   */
  @Test
  void aCreateDoesNotWaitForOtherBlockingWorkOfItsContext() throws Exception {
    StateStore store = new StateStore(vertx, dir.resolve("state"));
    Await.result(store.init());
    io.vertx.core.Context registry = vertx.getOrCreateContext();
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Future<Void>> created = new java.util.concurrent.CompletableFuture<>();
    Future<Void>[] other = new Future[1];
    registry.runOnContext(v -> {
      // another VM's write in progress on the same context (ordered, as the store's writes of one VM are)
      other[0] = registry.executeBlocking(() -> {
        held.await();
        return null;
      }, true);
      created.complete(store.create("b", "{\"name\":\"b\"}", Desired.STOPPED));
    });
    try {
      Await.result(created.get(60, TimeUnit.SECONDS));
      assertThat(dir.resolve("state/vms/b/spec.json")).exists();
      assertThat(other[0].isComplete()).as("the other work is still held").isFalse();
    } finally {
      held.countDown();
    }
    Await.result(other[0]);
  }
}

package io.vmsup.supervisor.hotplug.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which DEVICE_DELETED events complete a detach (event shapes as QEMU 7.2 sent them). */
class DeletedWaitersTest {

  private final Vertx vertx = Vertx.vertx();
  private final DeletedWaiters waiters = new DeletedWaiters(vertx);

  @AfterEach
  void close() throws Exception {
    Await.result(vertx.close(), Duration.ofSeconds(10));
  }

  private static io.vmsup.qmp.QmpEvent deleted(JsonObject data) {
    return new io.vmsup.qmp.QmpEvent("DEVICE_DELETED", data, -1, -1);
  }

  private static boolean result(Future<Boolean> f) throws Exception {
    return Await.result(f, Duration.ofSeconds(10));
  }

  @Test
  void theDeviceItselfCompletesAndAChildOnlyWhenChildrenCount() throws Exception {
    Future<Boolean> disk = waiters.register("d1", false, Duration.ofSeconds(5));
    Future<Boolean> cpu = waiters.register("vmsup-cpu-0-1-0", true, Duration.ofSeconds(5));

    waiters.onEvent(deleted(new JsonObject().put("path", "/machine/peripheral/d1/virtio-backend")));
    waiters.onEvent(deleted(new JsonObject().put("path", "/machine/peripheral/vmsup-cpu-0-1-0/lapic")));
    assertThat(disk.isComplete()).as("a child of a disk is not the disk").isFalse();
    assertThat(result(cpu)).isTrue();

    waiters.onEvent(deleted(new JsonObject().put("device", "d1").put("path", "/machine/peripheral/d1")));
    assertThat(result(disk)).isTrue();
  }

  @Test
  void noEventMeansFalseAfterTheTimeout() throws Exception {
    Future<Boolean> f = waiters.register("d2", false, Duration.ofMillis(50));
    waiters.onEvent(deleted(new JsonObject().put("device", "other")));
    assertThat(result(f)).isFalse();
  }
}

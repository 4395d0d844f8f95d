package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.internal.VertxInternal;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.QemuExtension;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Event delivery against a real QEMU. */
class QmpEventsIT {

  @RegisterExtension
  final QemuExtension qemu = QemuExtension.machineNone();

  @Test
  void aBlockedSubscriberDoesNotDelayReplies() throws Exception {
    AtomicInteger dropsSeen = new AtomicInteger();
    QmpClient client = qemu.connect(QmpOptions.defaults().withEventBufferSize(2).withObserver(new QmpObserver() {
      @Override
      public void eventDropped(String subscriber) {
        dropsSeen.incrementAndGet();
      }
    }));
    Context worker = ((VertxInternal) qemu.vertx()).createWorkerContext();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstTwo = new CountDownLatch(2);
    CountDownLatch allThree = new CountDownLatch(3);
    QmpSubscription slow = client.subscribe(null, worker, e -> {
      firstTwo.countDown();
      allThree.countDown();
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS); // blocks its own worker thread, never the connection
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    });

    Await.result(client.execute(QmpCommands.stop()));
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 3; i++) {
      Await.result(client.execute(QmpCommands.cont()));
      Await.result(client.execute(QmpCommands.stop()));
    }
    StatusInfo status = Await.result(client.execute(QmpCommands.queryStatus()), Duration.ofSeconds(2));

    assertThat(status.status()).isEqualTo(RunState.PAUSED);
    assertThat(release.getCount()).isEqualTo(1); // the subscriber is still blocked
    // 7 events: one in the handler, one queued (buffer 2), five dropped
    assertThat(slow.dropped()).isEqualTo(5);
    assertThat(dropsSeen).hasValue(5);

    release.countDown();
    assertThat(firstTwo.await(5, TimeUnit.SECONDS)).isTrue();
    Await.result(client.execute(QmpCommands.cont()));
    assertThat(allThree.await(5, TimeUnit.SECONDS)).as("the subscriber catches up after it is released").isTrue();
    assertThat(slow.dropped()).isEqualTo(5);
  }
}

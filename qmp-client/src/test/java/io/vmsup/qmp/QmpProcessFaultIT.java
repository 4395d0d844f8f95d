package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vmsup.qmp.impl.QmpClientImpl;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.QemuExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real QEMU that stops answering (SIGSTOP) or dies (SIGKILL). */
class QmpProcessFaultIT {

  @RegisterExtension
  final QemuExtension qemu = QemuExtension.machineNone();

  @Test
  void timedOutCommandDoesNotBlockTheNext() throws Exception {
    QmpClient client = qemu.connect();
    qemu.process().signal("STOP");

    long start = System.nanoTime();
    Throwable timeout = Await.failure(client.execute(QmpCommands.queryStatus(), Duration.ofMillis(300)));
    long waited = System.nanoTime() - start;
    assertThat(timeout).isInstanceOf(QmpTimeoutException.class);
    assertThat(((QmpTimeoutException) timeout).command()).isEqualTo("query-status");
    assertThat(waited).as("waited for the command timeout").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(290));

    // sent while QEMU is still stopped: nothing in the client holds it back
    Future<QemuVersion> next = client.execute(QmpCommands.queryVersion(), Duration.ofSeconds(10));
    assertThat(next.isComplete()).isFalse();
    qemu.process().signal("CONT");

    assertThat(Await.result(next).major()).isGreaterThanOrEqualTo(7);
    assertThat(QmpClientImpl.connectionOf(client).lateReplies()).isEqualTo(1);
    assertThat(Await.result(client.execute(QmpCommands.queryStatus())).status()).isEqualTo(RunState.RUNNING);
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void sigkillFailsEveryPendingCommandWithClosed() throws Exception {
    QmpClient client = qemu.connect();
    qemu.process().signal("STOP");
    List<Future<StatusInfo>> pending = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pending.add(client.execute(QmpCommands.queryStatus()));
    }
    List<Throwable> failedClosed = new java.util.concurrent.CopyOnWriteArrayList<>();
    pending.forEach(f -> f.onFailure(e -> {
      if (e instanceof QmpClosedException) {
        failedClosed.add(e);
      }
    }));

    qemu.process().process().destroyForcibly();
    Await.result(client.closeFuture(), Duration.ofSeconds(5));
    pending.forEach(f -> assertThat(Await.failure(f, Duration.ofSeconds(5))).isInstanceOf(QmpClosedException.class));

    assertThat(failedClosed).hasSize(50);
    // how soon after SIGKILL the last one failed is a figure of `./vmsup bench faults`
    assertThat(client.state()).isEqualTo(QmpState.CLOSED);
  }
}

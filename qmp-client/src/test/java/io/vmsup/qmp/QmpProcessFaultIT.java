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

  /**
   * Found by attack4: a QEMU that stops reading its monitor (stopped, or a compromised one) made the client queue every
   * command's bytes in the daemon for as long as the connection lived, timed out or not: 48 commands of 1 MiB held
   * 48 MiB. Past the backlog cap a command fails at once; the connection stays open. (QEMU parses a 1 MiB command in
   * ~14 s here, so the queued ones are not waited for.)
   */
  @Test
  void aQemuThatStopsReadingCannotMakeTheClientQueueWithoutBound() throws Exception {
    QmpClient client = qemu.connect();
    qemu.process().signal("STOP");
    String mebibyte = "x".repeat(1 << 20);
    io.vertx.core.Promise<Throwable> first = io.vertx.core.Promise.promise();
    List<Future<Object>> sent = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      Future<Object> f = client.execute("qom-list", new io.vertx.core.json.JsonObject().put("path", mebibyte),
          Duration.ofSeconds(20));
      f.onComplete(ar -> first.tryComplete(ar.cause()));
      sent.add(f);
    }

    Throwable refused = Await.result(first.future());
    assertThat(refused).isInstanceOf(QmpBacklogException.class);
    assertThat(refused.getMessage()).contains("not reading");
    // sent after all 48 on the connection's context: when it is refused, every one of them was sent or refused
    assertThat(Await.failure(client.execute(QmpCommands.queryStatus()))).isInstanceOf(QmpBacklogException.class);
    long refusedCount = sent.stream().filter(f -> f.failed() && f.cause() instanceof QmpBacklogException).count();
    assertThat(refusedCount).as("most of the 48 MiB were refused, not queued").isGreaterThanOrEqualTo(24);
    assertThat(client.isOpen()).isTrue();
  }

  /**
   * Found by attack4: a string holding half of a surrogate pair (valid JSON text, {@code "\\ud800"}, as a pass-through
   * argument) was written as such; QEMU answered it with an error without an id, and the client closed the connection
   * under every other command on it. It is refused before it is written; the connection stays.
   */
  @Test
  void aStringQemuCannotParseIsRefusedBeforeItCanEndTheConnection() throws Exception {
    QmpClient client = qemu.connect();
    Future<StatusInfo> before = client.execute(QmpCommands.queryStatus());

    Throwable lone = Await.failure(client.execute("qom-list", new io.vertx.core.json.JsonObject()
        .put("path", "/machine").put("x", new io.vertx.core.json.JsonArray().add("a\udc00b"))));
    Throwable inName = Await.failure(client.execute("qom-list\ud800", null));

    assertThat(lone).isInstanceOf(QmpUnsendableException.class);
    assertThat(((QmpUnsendableException) lone).path()).isEqualTo("arguments.x[0]");
    assertThat(lone.getMessage()).contains("half of a surrogate pair (U+DC00) at character 1");
    assertThat(((QmpUnsendableException) inName).path()).isEqualTo("execute");
    assertThat(Await.result(before).status()).isEqualTo(RunState.RUNNING);
    // a whole pair is a character QEMU takes: sent, and answered with the command's own error
    Throwable pair = Await.failure(client.execute("qom-list", new io.vertx.core.json.JsonObject()
        .put("path", "\ud83d\ude00")));
    assertThat(pair).isInstanceOf(QmpErrorException.class);
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

    // calls from this thread run on the connection's context in call order: once this wait has timed out there, the 50
    // commands were sent (else, on a loaded machine, the loop could see the reset before running them: never sent)
    assertThat(Await.failure(client.awaitEvent("NONE", e -> true, Duration.ofMillis(1))))
        .isInstanceOf(QmpTimeoutException.class);
    qemu.process().process().destroyForcibly();
    Await.result(client.closeFuture(), Duration.ofSeconds(5));
    // each was sent: QEMU may have run it before it died
    pending.forEach(f -> assertThat(Await.failure(f, Duration.ofSeconds(5))).isInstanceOf(QmpClosedException.class)
        .matches(e -> ((QmpClosedException) e).wasPending(), "was pending"));

    assertThat(failedClosed).hasSize(50);
    // how soon after SIGKILL the last one failed is a figure of `./vmsup bench faults`
    assertThat(client.state()).isEqualTo(QmpState.CLOSED);
  }
}

package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.QmpClientImpl;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.QemuExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The protocol against a real {@code qemu-system-x86_64 -machine none}. */
class QmpClientIT {

  @RegisterExtension
  final QemuExtension qemu = QemuExtension.machineNone();

  @Test
  void negotiatesOnEpollAndReportsTheGreeting() {
    QmpClient client = qemu.connect();

    assertThat(client.transport()).isEqualTo("epoll");
    assertThat(client.isOpen()).isTrue();
    assertThat(client.greeting().version().major()).isGreaterThanOrEqualTo(7);
    assertThat(client.greeting().offers("oob")).isTrue();
    assertThat(QmpClientImpl.connectionOf(client).history())
        .containsExactly(QmpState.CONNECTING, QmpState.NEGOTIATING, QmpState.RUNNING);
    QemuVersion version = Await.result(client.execute(QmpCommands.queryVersion()));
    assertThat(version.major()).isEqualTo(client.greeting().version().major());
    assertThat(version.minor()).isEqualTo(client.greeting().version().minor());
  }

  @Test
  void stopAndContEmitStopAndResumeEvents() {
    QmpClient client = qemu.connect();
    List<QmpEvent> seen = new CopyOnWriteArrayList<>();
    client.subscribe(null, seen::add); // inline on the connection's context, before awaitEvent completes

    Future<QmpEvent> stopped = client.awaitEvent("STOP", null, Duration.ofSeconds(5));
    Await.result(client.execute(QmpCommands.stop()));
    QmpEvent stop = Await.result(stopped);
    assertThat(Await.result(client.execute(QmpCommands.queryStatus())).status()).isEqualTo(RunState.PAUSED);

    Future<QmpEvent> resumed = client.awaitEvent("RESUME", null, Duration.ofSeconds(5));
    Await.result(client.execute(QmpCommands.cont()));
    QmpEvent resume = Await.result(resumed);
    StatusInfo status = Await.result(client.execute(QmpCommands.queryStatus()));

    assertThat(status.status()).isEqualTo(RunState.RUNNING);
    assertThat(status.running()).isTrue();
    assertThat(stop.hasTimestamp()).isTrue();
    assertThat(stop.micros()).isBetween(0L, 999_999L);
    assertThat(resume.timestamp()).isAfterOrEqualTo(stop.timestamp());
    assertThat(seen).extracting(QmpEvent::name).containsExactly("STOP", "RESUME");
  }

  @Test
  void serverErrorKeepsItsClass() {
    QmpClient client = qemu.connect();

    Throwable failure = Await.failure(client.execute("no-such-command", null));

    assertThat(failure).isInstanceOf(QmpErrorException.class);
    assertThat(((QmpErrorException) failure).errorClass()).isEqualTo("CommandNotFound");
    assertThat(client.isOpen()).isTrue();
    assertThat(Await.result(client.execute(QmpCommands.queryStatus())).status()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void tenThousandPipelinedCommandsEachAnswerTheirCaller() {
    QmpClient client = qemu.connect();
    List<Future<Object>> replies = new ArrayList<>();

    for (int i = 0; i < 10_000; i++) {
      // each caller gets its own echo back: qom-get of a property that differs per call is not available on
      // machine none, so alternate two commands with different result shapes and check every one
      replies.add(i % 2 == 0 ? client.execute("query-status", null) : client.execute("query-version", null));
    }
    Await.result(Future.all(replies), Duration.ofSeconds(60));

    for (int i = 0; i < replies.size(); i++) {
      JsonObject reply = (JsonObject) replies.get(i).result();
      assertThat(reply.containsKey(i % 2 == 0 ? "status" : "qemu")).as("reply %d", i).isTrue();
    }
  }

  @Test
  void decodesTheLargeSchema() {
    QmpClient client = qemu.connect();
    long before = QmpClientImpl.connectionOf(client).bytesReceived();

    JsonArray schema = Await.result(client.execute(QmpCommands.queryQmpSchema()));

    long wireBytes = QmpClientImpl.connectionOf(client).bytesReceived() - before;
    assertThat(wireBytes).isGreaterThan(200_000);
    assertThat(schema.size()).isGreaterThan(1000);
    assertThat(schema.stream().map(o -> ((JsonObject) o).getString("meta-type"))).contains("command", "event");
  }

  @Test
  void quitSucceedsAndClosesCleanly() throws Exception {
    QmpClient client = qemu.connect();

    Await.result(client.execute(QmpCommands.quit()));
    Await.result(client.closeFuture());

    assertThat(client.isOpen()).isFalse();
    assertThat(client.state()).isEqualTo(QmpState.CLOSED);
    assertThat(qemu.process().process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(Await.failure(client.execute(QmpCommands.queryStatus()))).isInstanceOf(QmpClosedException.class);
  }

  @Test
  void commandsFromAnotherThreadAndOwnTimeoutWork() {
    QmpClient client = qemu.connect();

    List<String> commands = Await.result(client.execute(QmpCommands.queryCommands(), Duration.ofSeconds(3)));

    assertThat(commands).contains("query-status", "getfd", "add-fd", "device_add");
  }

  @Test
  void closeFailsNothingAfterwardsButNewCommands() {
    QmpClient client = qemu.connect();

    Await.result(client.close());

    assertThat(client.state()).isEqualTo(QmpState.CLOSED);
    Throwable failure = Await.failure(client.execute(QmpCommands.queryStatus()));
    assertThat(failure).isInstanceOf(QmpClosedException.class);
    assertThat(((QmpClosedException) failure).reason()).isEqualTo("closed by client");
    assertThat(((QmpClosedException) failure).wasPending()).as("issued after the close: never sent").isFalse();
  }

  @Test
  void aSecondClientOnABusyMonitorGetsNoGreeting() {
    QmpClient first = qemu.connect();

    Throwable failure = Await.failure(QmpClient.connect(qemu.vertx(), qemu.process().socket(),
        QmpOptions.defaults().withGreetingTimeout(Duration.ofMillis(300))));

    assertThat(failure).isInstanceOf(QmpConnectException.class);
    assertThat(((QmpConnectException) failure).kind()).isEqualTo(QmpConnectException.Kind.NO_GREETING);
    assertThat(Await.result(first.execute(QmpCommands.queryStatus())).status()).isEqualTo(RunState.RUNNING);
  }
}

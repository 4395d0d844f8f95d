package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vmsup.qmp.impl.QmpClientImpl;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.FakeQmpServer;
import io.vmsup.qmp.testing.FakeQmpServer.Session;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connect-time faults QEMU cannot produce: no socket, no listener, no or odd greetings, a full backlog. */
class QmpConnectFaultTest extends QmpFaultTestBase {

  @Test
  void eventsBeforeTheGreetingAreSkipped() {
    QmpClient client = connect(new FakeQmpServer.Script() {
      @Override
      public void connected(Session session) {
        session.send("{\"event\": \"EARLY\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\r\n");
        session.send(FakeQmpServer.GREETING);
      }

      @Override
      public void command(Session session, JsonObject command) {
        if (command.getString("execute").equals("emit")) {
          session.send("{\"event\": \"LATE\", \"data\": {\"n\": 1},"
              + " \"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 123456}}\r\n");
        }
        session.reply(command, "{}");
      }
    }, QmpOptions.defaults());
    List<String> seen = new CopyOnWriteArrayList<>();
    client.subscribe(null, e -> seen.add(e.name()));
    Future<QmpEvent> late = client.awaitEvent("LATE", e -> e.data().getInteger("n") == 1, Duration.ofSeconds(5));

    Await.result(client.execute("emit", null));
    QmpEvent event = Await.result(late);

    assertThat(event.timestamp().toString()).isEqualTo("2023-11-14T22:13:20.123456Z");
    assertThat(client.greeting().version().pkg()).isEqualTo("fake");
    Await.result(client.execute("sync", null));
    assertThat(seen).containsExactly("LATE");
  }

  @Test
  void aPeerThatNeverGreetsFailsTheConnect() {
    server = FakeQmpServer.start(vertx, socket(), new FakeQmpServer.Script() {
      @Override
      public void connected(Session session) {
      }
    });
    long start = System.nanoTime();

    Throwable failure = Await.failure(QmpClient.connect(vertx, socket(),
        QmpOptions.defaults().withGreetingTimeout(Duration.ofMillis(300))));

    assertThat(failure).isInstanceOf(QmpConnectException.class);
    assertThat(((QmpConnectException) failure).kind()).isEqualTo(QmpConnectException.Kind.NO_GREETING);
    assertThat(System.nanoTime() - start).as("waited for the greeting timeout")
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(290));
  }

  @Test
  void aMissingSocketIsNoSocket() {
    Throwable failure = Await.failure(QmpClient.connect(vertx, dir.resolve("absent.sock"), QmpOptions.defaults()));

    assertThat(((QmpConnectException) failure).kind()).isEqualTo(QmpConnectException.Kind.NO_SOCKET);
  }

  @Test
  void aSocketNobodyListensOnIsRefused() throws Exception {
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket()));
    }

    Throwable failure = Await.failure(QmpClient.connect(vertx, socket(), QmpOptions.defaults()));

    assertThat(((QmpConnectException) failure).kind()).isEqualTo(QmpConnectException.Kind.REFUSED);
  }

  @Test
  void aFullListenBacklogIsTimeout() throws Exception {
    try (ServerSocketChannel deaf = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      deaf.bind(UnixDomainSocketAddress.of(socket()), 1); // never accepts
      io.vertx.core.net.NetClient raw = vertx.createNetClient();
      SocketAddress address = SocketAddress.domainSocketAddress(socket().toString());
      boolean full = false;
      for (int i = 0; i < 16 && !full; i++) {
        full = Await.result(raw.connect(address).map(false).otherwise(true));
      }
      assertThat(full).as("the backlog filled up").isTrue();

      Throwable failure = Await.failure(QmpClient.connect(vertx, socket(), QmpOptions.defaults()));

      assertThat(((QmpConnectException) failure).kind()).isEqualTo(QmpConnectException.Kind.TIMEOUT);
      assertThat(failure.getMessage()).contains("backlog");
      Await.result(raw.close());
    }
  }

  @Test
  void aSecondGreetingWhileNegotiatingIsTolerated() {
    // QEMU 7.2 does this when a client connects while its -mon is being attached to the chardev
    QmpClient client = connect(new FakeQmpServer.Script() {
      @Override
      public void connected(Session session) {
        session.send(FakeQmpServer.GREETING + FakeQmpServer.GREETING);
      }
    }, QmpOptions.defaults());

    Await.result(client.execute("query-status", null));

    assertThat(QmpClientImpl.connectionOf(client).history())
        .containsExactly(QmpState.CONNECTING, QmpState.NEGOTIATING, QmpState.RUNNING);
  }

  @Test
  void aGreetingWhileRunningRenegotiates() {
    List<String> received = new CopyOnWriteArrayList<>();
    QmpClient client = connect(new FakeQmpServer.Script() {
      @Override
      public void command(Session session, JsonObject command) {
        received.add(command.getString("execute"));
        if (command.getString("execute").equals("reset-session")) {
          session.send(FakeQmpServer.GREETING);
        }
        session.reply(command, "{}");
      }
    }, QmpOptions.defaults());

    Await.result(client.execute("reset-session", null));
    Await.result(client.execute("after", null));

    assertThat(received).containsExactly("qmp_capabilities", "reset-session", "qmp_capabilities", "after");
    assertThat(client.isOpen()).isTrue();
  }
}

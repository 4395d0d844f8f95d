package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vmsup.qmp.impl.QmpClientImpl;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.FakeQmpServer;
import io.vmsup.qmp.testing.FakeQmpServer.Session;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults QEMU cannot produce, from a scripted server on a real unix socket. */
class QmpFaultTest {

  @TempDir
  Path dir;
  Vertx vertx;
  FakeQmpServer server;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Path socket() {
    return dir.resolve("fake.sock");
  }

  private QmpClient connect(FakeQmpServer.Script script, QmpOptions options) {
    server = FakeQmpServer.start(vertx, socket(), script);
    return Await.result(QmpClient.connect(vertx, socket(), options));
  }

  /** A server that answers every command with {@code reply} (a whole line, {@code %d} = the id). */
  private static FakeQmpServer.Script answering(String reply) {
    return new FakeQmpServer.Script() {
      @Override
      public void command(Session session, JsonObject command) {
        if (command.getString("execute").equals("qmp_capabilities")) {
          session.reply(command, "{}");
        } else {
          session.send(reply.replace("%d", String.valueOf(command.getValue("id"))));
        }
      }
    };
  }

  private static QmpProtocolException closedByProtocolError(QmpClient client, Future<?> command) {
    Throwable failure = Await.failure(command);
    assertThat(failure).isInstanceOf(QmpClosedException.class);
    assertThat(failure.getCause()).isInstanceOf(QmpProtocolException.class);
    Await.result(client.closeFuture());
    assertThat(client.state()).isEqualTo(QmpState.CLOSED);
    assertThat(QmpClientImpl.connectionOf(client).history()).containsExactly(QmpState.CONNECTING,
        QmpState.NEGOTIATING, QmpState.RUNNING, QmpState.CLOSING, QmpState.CLOSED);
    return (QmpProtocolException) failure.getCause();
  }

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
    assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(290),
        TimeUnit.SECONDS.toNanos(3));
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
  void garbageBytesCloseTheConnection() {
    QmpClient client = connect(answering("this is not json\r\n"), QmpOptions.defaults());

    QmpProtocolException cause = closedByProtocolError(client, client.execute("query-status", null));

    assertThat(cause.getMessage()).contains("unexpected byte 0x74");
  }

  @Test
  void garbageInsideBracesClosesTheConnection() {
    QmpClient client = connect(answering("{\"return\": nope, \"id\": %d}\r\n"), QmpOptions.defaults());

    QmpProtocolException cause = closedByProtocolError(client, client.execute("query-status", null));

    assertThat(cause.getMessage()).contains("not a JSON object");
  }

  @Test
  void anOversizeFrameClosesTheConnection() {
    String big = "\"" + "x".repeat(5000) + "\"";
    QmpClient client = connect(answering("{\"return\": " + big + ", \"id\": %d}\r\n"),
        QmpOptions.defaults().withMaxFrameBytes(4096));

    QmpProtocolException cause = closedByProtocolError(client, client.execute("query-status", null));

    assertThat(cause.getMessage()).contains("larger than 4096 bytes");
  }

  @Test
  void anErrorWithoutIdClosesTheConnection() {
    QmpClient client = connect(answering(
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}\r\n"), QmpOptions.defaults());
    Future<Object> first = client.execute("query-status", null);
    Future<Object> second = client.execute("query-version", null);

    QmpProtocolException cause = closedByProtocolError(client, first);

    assertThat(cause.getMessage()).contains("error without id");
    assertThat(Await.failure(second)).isInstanceOf(QmpClosedException.class);
  }

  @Test
  void aReplyWithAnUnknownIdIsDroppedQuietly() {
    QmpClient client = connect(answering(
        "{\"return\": {\"stray\": true}, \"id\": 999999}\r\n{\"return\": {\"mine\": %d}, \"id\": %d}\r\n"),
        QmpOptions.defaults());

    JsonObject reply = (JsonObject) Await.result(client.execute("query-status", null));

    assertThat(reply.containsKey("mine")).isTrue();
    assertThat(QmpClientImpl.connectionOf(client).unknownReplies()).isEqualTo(1);
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void aReplyThatDoesNotDecodeFailsOnlyItsCommand() {
    QmpClient client = connect(answering("{\"return\": [1, 2], \"id\": %d}\r\n"), QmpOptions.defaults());

    Throwable failure = Await.failure(client.execute(QmpCommands.queryStatus()));

    assertThat(failure).isInstanceOf(QmpProtocolException.class);
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void anErrorReplyKeepsAnUnknownClass() {
    QmpClient client = connect(answering(
        "{\"id\": %d, \"error\": {\"class\": \"BrandNewClass\", \"desc\": \"x\"}, \"extra\": 1}\r\n"),
        QmpOptions.defaults());

    Throwable failure = Await.failure(client.execute("anything", new JsonObject().put("a", 1)));

    assertThat(((QmpErrorException) failure).errorClass()).isEqualTo("BrandNewClass");
  }

  @Test
  void quitAnsweredOnlyByEndOfFileSucceeds() {
    QmpClient client = connect(new FakeQmpServer.Script() {
      @Override
      public void command(Session session, JsonObject command) {
        if (command.getString("execute").equals("quit")) {
          session.close();
        } else {
          session.reply(command, "{}");
        }
      }
    }, QmpOptions.defaults());
    Future<StatusInfo> before = client.execute(QmpCommands.queryStatus());

    Future<Void> quit = client.execute(QmpCommands.quit());

    Await.result(quit);
    Await.result(client.closeFuture());
    assertThat(Await.result(before).running()).isFalse();
    assertThat(client.state()).isEqualTo(QmpState.CLOSED);
  }

  @Test
  void eventFiltersUnsubscribeAndAwaitFailures() {
    QmpClient client = connect(new FakeQmpServer.Script() {
      @Override
      public void command(Session session, JsonObject command) {
        String name = command.getString("execute");
        if (name.equals("die")) {
          session.close();
          return;
        }
        if (name.startsWith("emit-")) {
          session.send("{\"event\": \"" + name.substring(5) + "\", \"timestamp\": {\"seconds\": 5,"
              + " \"microseconds\": 0}}\r\n");
        }
        session.reply(command, "{}");
      }
    }, QmpOptions.defaults());
    List<String> onlyA = new CopyOnWriteArrayList<>();
    List<String> all = new CopyOnWriteArrayList<>();
    QmpSubscription a = client.subscribe("A", e -> onlyA.add(e.name()));
    client.subscribe(null, e -> all.add(e.name()));

    // subscribed from a non-Vert.x thread: handlers run inline on the connection's context, so the event that
    // precedes a reply on the wire has been handled when the reply's callback runs
    List<String> seenAtReply = Await.result(client.execute("emit-A", null).map(v -> List.copyOf(onlyA)));
    assertThat(seenAtReply).containsExactly("A");
    Await.result(client.execute("emit-B", null));
    a.unsubscribe();
    Await.result(client.execute("emit-A", null));
    Await.result(client.execute("sync", null));

    assertThat(onlyA).containsExactly("A");
    assertThat(all).containsExactly("A", "B", "A");
    assertThat(a.dropped()).isZero();
    Throwable timeout = Await.failure(client.awaitEvent("C", null, Duration.ofMillis(50)));
    assertThat(((QmpTimeoutException) timeout).command()).isEqualTo("event C");
    Future<QmpEvent> never = client.awaitEvent("C", null, Duration.ofSeconds(30));
    client.execute("die", null);
    assertThat(Await.failure(never, Duration.ofSeconds(5))).isInstanceOf(QmpClosedException.class);
    assertThat(Await.failure(client.awaitEvent("C", null, Duration.ofSeconds(1))))
        .isInstanceOf(QmpClosedException.class);
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

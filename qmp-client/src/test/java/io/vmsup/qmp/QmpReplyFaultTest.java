package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.QmpClientImpl;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.FakeQmpServer;
import io.vmsup.qmp.testing.FakeQmpServer.Session;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Odd replies and events fail only what they concern: unknown ids, undecodable returns, unknown error classes, quit answered by EOF, event filters. */
class QmpReplyFaultTest extends QmpFaultTestBase {

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
}

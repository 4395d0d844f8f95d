package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.FakeQmpServer;
import io.vmsup.qmp.testing.FakeQmpServer.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics hooks see every outcome, on a scripted server. */
class QmpObserverTest {

  @TempDir
  Path dir;
  final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  FakeQmpServer server;

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    Await.result(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void reportsOkErrorTimeoutClosedAndEvents() {
    List<String> calls = new CopyOnWriteArrayList<>();
    QmpObserver observer = new QmpObserver() {
      @Override
      public void commandCompleted(String command, long nanos, String outcome) {
        assertThat(nanos).isPositive();
        calls.add(command + "=" + outcome);
      }

      @Override
      public void eventReceived(String name) {
        calls.add("event " + name);
      }
    };
    server = FakeQmpServer.start(vertx, dir.resolve("fake.sock"), new FakeQmpServer.Script() {
      @Override
      public void command(Session session, JsonObject command) {
        switch (command.getString("execute")) {
          case "fail" -> session.send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}, \"id\": "
              + command.getValue("id") + "}\r\n");
          case "hang", "pending" -> {
          }
          case "bye" -> session.close();
          default -> {
            session.send("{\"event\": \"TICK\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 1}}\r\n");
            session.reply(command, "{}");
          }
        }
      }
    });
    QmpClient client = Await.result(QmpClient.connect(vertx, dir.resolve("fake.sock"),
        QmpOptions.defaults().withObserver(observer)));

    Await.result(client.execute("ok", null));
    Await.failure(client.execute("fail", null));
    Await.failure(client.execute("hang", null, Duration.ofMillis(50)));
    Future<Object> pending = client.execute("pending", null);
    client.execute("bye", null);
    Await.failure(pending);
    Await.result(client.closeFuture());

    // the script sends TICK before every default reply, qmp_capabilities included
    assertThat(calls).containsExactly("event TICK", "qmp_capabilities=ok", "event TICK", "ok=ok", "fail=error",
        "hang=timeout", "pending=closed", "bye=closed");
  }
}

package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.QmpClientImpl;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.FakeQmpServer;
import io.vmsup.qmp.testing.FakeQmpServer.Session;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults QEMU cannot produce, from a scripted server ({@link FakeQmpServer}) on a real unix socket: a Vert.x and a
 * directory per test, the server closed after it. The tests are split by theme into {@code QmpConnectFaultTest},
 * {@code QmpFramingFaultTest} and {@code QmpReplyFaultTest}.
 */
abstract class QmpFaultTestBase {

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
    Await.result(vertx.close(), Duration.ofSeconds(10));
  }

  Path socket() {
    return dir.resolve("fake.sock");
  }

  QmpClient connect(FakeQmpServer.Script script, QmpOptions options) {
    server = FakeQmpServer.start(vertx, socket(), script);
    return Await.result(QmpClient.connect(vertx, socket(), options));
  }

  /** A server that answers every command with {@code reply} (a whole line, {@code %d} = the id). */
  static FakeQmpServer.Script answering(String reply) {
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

  static QmpProtocolException closedByProtocolError(QmpClient client, Future<?> command) {
    Throwable failure = Await.failure(command);
    assertThat(failure).isInstanceOf(QmpClosedException.class);
    assertThat(failure.getCause()).isInstanceOf(QmpProtocolException.class);
    Await.result(client.closeFuture());
    assertThat(client.state()).isEqualTo(QmpState.CLOSED);
    assertThat(QmpClientImpl.connectionOf(client).history()).containsExactly(QmpState.CONNECTING,
        QmpState.NEGOTIATING, QmpState.RUNNING, QmpState.CLOSING, QmpState.CLOSED);
    return (QmpProtocolException) failure.getCause();
  }
}

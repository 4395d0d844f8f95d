package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.QmpClientImpl;
import io.vmsup.qmp.impl.QmpConnection;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.FakeQmpServer;
import io.vmsup.qmp.testing.FakeQmpServer.Session;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Ids on the wire stay short (QEMU 7.2 reads its monitor a byte at a time), and reusing them never hands a command
 * another's reply: a timed-out command's id stays out of use until its late reply came.
 */
class QmpIdReuseTest extends QmpFaultTestBase {

  private final List<Long> seen = new CopyOnWriteArrayList<>();
  private volatile Session session;
  private volatile Object slowId;

  /** Records every id; answers {@code slow} never (the test sends its late reply), everything else at once. */
  private FakeQmpServer.Script recording() {
    return new FakeQmpServer.Script() {
      @Override
      public void command(Session s, JsonObject command) {
        session = s;
        seen.add(((Number) command.getValue("id")).longValue());
        if (command.getString("execute").equals("slow")) {
          slowId = command.getValue("id");
        } else {
          s.reply(command, "{\"mine\": " + command.getValue("id") + "}");
        }
      }
    };
  }

  @Test
  void sequentialCommandsCarryOneDigitIds() {
    QmpClient client = connect(recording(), QmpOptions.defaults());
    for (int i = 0; i < 300; i++) {
      Await.result(client.execute("sync", null));
    }
    assertThat(seen).hasSize(301).allSatisfy(id -> assertThat(id).isBetween(1L, 9L));
  }

  @Test
  void aTimedOutIdIsNotReusedBeforeItsLateReplyAndThatReplyReachesNobody() {
    QmpClient client = connect(recording(), QmpOptions.defaults());
    QmpConnection conn = QmpClientImpl.connectionOf(client);
    Future<Object> slow = client.execute(QmpCommand.raw("slow", null), Duration.ofMillis(50));
    assertThat(Await.failure(slow)).isInstanceOf(QmpTimeoutException.class);
    long late = ((Number) slowId).longValue();

    for (int i = 0; i < 50; i++) {
      JsonObject reply = (JsonObject) Await.result(client.execute("sync", null));
      assertThat(reply.getLong("mine")).isNotEqualTo(late);
    }
    assertThat(seen.subList(seen.indexOf(late) + 1, seen.size())).hasSize(50).doesNotContain(late);

    session.send("{\"return\": {\"late\": true}, \"id\": " + late + "}\r\n");
    for (int i = 0; i < 50; i++) {
      JsonObject reply = (JsonObject) Await.result(client.execute("sync", null));
      assertThat(reply.containsKey("late")).isFalse();
    }
    assertThat(conn.lateReplies()).isEqualTo(1);
    assertThat(conn.unknownReplies()).isZero();
    assertThat(seen.subList(seen.size() - 50, seen.size())).as("once answered, its id is free again").contains(late);
  }
}

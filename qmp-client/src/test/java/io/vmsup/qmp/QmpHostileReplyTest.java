package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.QmpClientImpl;
import io.vmsup.qmp.impl.QmpConnection;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.FakeQmpServer;
import io.vmsup.qmp.testing.FakeQmpServer.Session;
import org.junit.jupiter.api.Test;

/**
 * Replies a hostile or broken peer may send about ids: an id answered twice, ids that are not ours (a string, a
 * negative or fractional number, a huge number, an id never sent), a reply with no id. Each is dropped and counted;
 * the command it does not concern is answered only by its own reply, and the connection stays usable.
 */
class QmpHostileReplyTest extends QmpFaultTestBase {

  /** Answers {@code reply-with} commands with every line of its {@code lines} argument, then with its own reply. */
  private static FakeQmpServer.Script script() {
    return new FakeQmpServer.Script() {
      @Override
      public void command(Session session, JsonObject command) {
        JsonObject args = command.getJsonObject("arguments");
        if (args != null) {
          for (Object line : args.getJsonArray("lines")) {
            session.send(line.toString().replace("%d", String.valueOf(command.getValue("id"))) + "\r\n");
          }
        }
        session.reply(command, "{\"mine\": true}");
      }
    };
  }

  private static JsonObject lines(String... lines) {
    return new JsonObject().put("lines", new io.vertx.core.json.JsonArray(java.util.List.of((Object[]) lines)));
  }

  @Test
  void anIdAnsweredTwiceCompletesItsCommandOnceAndTheSecondIsCounted() {
    QmpClient client = connect(script(), QmpOptions.defaults());
    QmpConnection conn = QmpClientImpl.connectionOf(client);

    Object first = Await.result(client.execute("reply-with", lines("{\"return\": {\"first\": 1}, \"id\": %d}")));

    assertThat(first).isEqualTo(new JsonObject().put("first", 1));
    assertThat(Await.result(client.execute("sync", null))).isEqualTo(new JsonObject().put("mine", true));
    assertThat(conn.unknownReplies()).isEqualTo(1);
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void idsThatAreNotOursAreDroppedAndCounted() {
    QmpClient client = connect(script(), QmpOptions.defaults());
    QmpConnection conn = QmpClientImpl.connectionOf(client);

    Object reply = Await.result(client.execute("reply-with", lines(
        "{\"return\": {}, \"id\": \"%d\"}",
        "{\"return\": {}, \"id\": -%d}",
        "{\"return\": {}, \"id\": %d.5}",
        "{\"return\": {}, \"id\": 123456789012345678901234567890}",
        "{\"return\": {}, \"id\": 777777}",
        "{\"return\": {}, \"id\": null}",
        "{\"return\": {}, \"id\": {\"n\": %d}}",
        "{\"return\": {}}",
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"not yours\"}, \"id\": \"x\"}")));

    assertThat(reply).isEqualTo(new JsonObject().put("mine", true));
    assertThat(conn.unknownReplies()).isEqualTo(9);
    assertThat(Await.result(client.execute("sync", null))).isEqualTo(new JsonObject().put("mine", true));
    assertThat(client.isOpen()).isTrue();
  }
}

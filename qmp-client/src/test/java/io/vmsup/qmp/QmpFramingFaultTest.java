package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.FakeQmpServer;
import io.vmsup.qmp.testing.FakeQmpServer.Session;
import io.vmsup.qmp.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * Bytes that break the protocol close the connection: garbage, an oversize frame, invalid UTF-8, an error without id.
 */
class QmpFramingFaultTest extends QmpFaultTestBase {

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
  void invalidUtf8InAReplyClosesTheConnectionAndFailsEveryCommandWaiting() {
    QmpClient client = connect(new FakeQmpServer.Script() {
      @Override
      public void command(Session session, JsonObject command) {
        if (command.getString("execute").equals("qmp_capabilities")) {
          session.reply(command, "{}");
        } else if (command.getString("execute").equals("query-status")) {
          // a lone continuation byte and an overlong '/' inside a string: no character, not U+FFFD
          session.send(Buffer.buffer("{\"return\": {\"status\": \"run").appendByte((byte) 0x80)
              .appendBytes(new byte[] {(byte) 0xC0, (byte) 0xAF}).appendString("\"}, \"id\": " + command.getValue("id")
                  + "}\r\n"));
        }
      }
    }, QmpOptions.defaults());
    Future<Object> first = client.execute("query-status", null);
    Future<Object> second = client.execute("query-version", null);

    QmpProtocolException cause = closedByProtocolError(client, first);

    assertThat(cause.getMessage()).contains("invalid UTF-8 (bytes 0x80 0xc0 0xaf");
    assertThat(Await.failure(second)).isInstanceOf(QmpClosedException.class);
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
}

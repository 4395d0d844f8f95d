package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vmsup.qmp.testing.Await;
import org.junit.jupiter.api.Test;

/** Bytes that break the protocol close the connection: garbage, an oversize frame, an error without id. */
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

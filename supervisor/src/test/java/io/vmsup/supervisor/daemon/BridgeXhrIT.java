package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A SockJS client that fell back from WebSocket to XHR: it opens a session with {@code xhr}, sends frames with
 * {@code xhr_send} (which needs a body handler in front of the bridge) and polls the replies with {@code xhr}.
 */
class BridgeXhrIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private DaemonFixture daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = daemons.start();
  }

  private HttpResponse<String> post(String session, String transport, String body, boolean token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(daemon.daemon.url() + "/eventbus/000/" + session + "/"
        + transport)).POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token) {
      b.header("Authorization", "Bearer " + daemon.daemon.token().value());
    }
    // Vert.x's xhr polling transport closes the connection after each poll: a client must not reuse it (a
    // reused one may be reset), so each request here has its own connection
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return http.send(b.header("Content-Type", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void xhrSendAndPollingCarryRequestsAndReplies() throws Exception {
    HttpResponse<String> open = post("s1", "xhr", null, true);
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).isEqualTo("o\n");
    JsonObject frame = new JsonObject().put("type", "send").put("address", "vmsup.vm.list")
        .put("body", new JsonObject()).put("replyAddress", "xhr-reply-1");
    HttpResponse<String> sent = post("s1", "xhr_send", new JsonArray().add(frame.encode()).encode(), false);
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(204);
    HttpResponse<String> poll = post("s1", "xhr", null, false);
    assertThat(poll.statusCode()).isEqualTo(200);
    assertThat(poll.body()).startsWith("a[");
    JsonObject reply = new JsonObject(new JsonArray(poll.body().substring(1).trim()).getString(0));
    assertThat(reply.getString("address")).isEqualTo("xhr-reply-1");
    assertThat(reply.getJsonObject("body").getJsonArray("vms")).isEmpty();
  }

  @Test
  void xhrSendWithoutTheTokenIsRefused() throws Exception {
    assertThat(post("s2", "xhr", null, false).body()).isEqualTo("o\n");
    JsonObject frame = new JsonObject().put("type", "send").put("address", "vmsup.vm.list")
        .put("body", new JsonObject()).put("replyAddress", "xhr-reply-2");
    assertThat(post("s2", "xhr_send", new JsonArray().add(frame.encode()).encode(), false).statusCode())
        .isEqualTo(204);
    String polled = post("s2", "xhr", null, false).body();
    assertThat(polled).contains("rejected");
  }

  @Test
  void brokenXhrFramesAreRejected() throws Exception {
    assertThat(post("s3", "xhr", null, true).body()).isEqualTo("o\n");
    HttpResponse<String> broken = post("s3", "xhr_send", "[\"{not json", false);
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(broken.body()).contains("Broken JSON encoding");
    HttpResponse<String> empty = post("s3", "xhr_send", null, false);
    assertThat(empty.statusCode()).isEqualTo(500);
    assertThat(empty.body()).contains("Payload expected");
  }
}

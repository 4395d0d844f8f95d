package io.vmsup.supervisor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP adapter's server-sent event streams: published events and a VM's console. */
class HttpStreamsTest extends HttpApiTestBase {

  private static JsonObject consoleLine(String line, long offset) {
    return new JsonObject().put("vm", "vm1").put("line", line).put("offset", offset);
  }

  @Test
  void eventStreamDeliversPublishedEvents() throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/events").putHeader("Authorization", "Bearer " + TOKEN.value());
    StringBuilder received = new StringBuilder();
    Promise<String> frame = Promise.promise();
    Promise<String> contentType = Promise.promise();
    JsonObject event = new JsonObject().put("type", "state").put("vm", "vm1").put("from", "STOPPED")
        .put("to", "STARTING");
    client.request(options).onSuccess(req -> req.send().onSuccess(response -> {
      // set the handler in the callback that sees the response, before any chunk is delivered
      contentType.complete(response.getHeader("Content-Type"));
      response.handler(chunk -> {
        received.append(chunk.toString());
        if (received.toString().contains(": subscribed") && !received.toString().contains("event:")) {
          vertx.eventBus().publish(Addresses.EVENTS, event);
        }
        if (received.toString().contains("data: ")) {
          frame.tryComplete(received.toString());
        }
      });
    }).onFailure(frame::tryFail)).onFailure(frame::tryFail);
    assertThat(Await.result(contentType.future())).isEqualTo("text/event-stream");
    String text = Await.result(frame.future());
    assertThat(text).contains("event: state\ndata: " + event.encode() + "\n\n");
  }

  @Test
  void consoleStreamSendsTheHistoryThenEachNewerLiveLineOnceAndFollowsARestartedLog() throws Exception {
    String address = Addresses.console("vm1");
    Promise<JsonObject> readRequest = Promise.promise();
    // lines published while the history is read: one the history has too (10), one it has not (20)
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.CONSOLE_READ, msg -> {
      readRequest.tryComplete(msg.body());
      vertx.eventBus().publish(address, consoleLine("b", 10));
      vertx.eventBus().publish(address, consoleLine("c", 20));
      msg.reply(new JsonObject().put("vm", "vm1").put("next", 20).put("truncated", false).put("lines",
          new JsonArray().add(new JsonObject().put("line", "a").put("offset", 0))
              .add(new JsonObject().put("line", "b").put("offset", 10))));
    }).completion());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/vms/vm1/console?lines=2&after=3")
        .putHeader("Authorization", "Bearer " + TOKEN.value()).putHeader("Last-Event-ID", "5");
    StringBuilder received = new StringBuilder();
    Promise<String> done = Promise.promise();
    Promise<Void> restarted = Promise.promise();
    client.request(options).onSuccess(req -> req.send().onSuccess(response -> {
      response.handler(chunk -> {
        boolean before = received.toString().contains("event: history");
        received.append(chunk.toString());
        if (!before && received.toString().contains("event: history")) {
          // late: a line the history had (the tailer was behind the reader), then a new one
          vertx.eventBus().publish(address, consoleLine("b", 10));
          vertx.eventBus().publish(address, consoleLine("d", 30));
        }
        if (received.toString().contains("\"line\":\"d\"") && restarted.tryComplete()) {
          // QEMU starts again: its log may be rotated, so offsets start over and are not duplicates
          vertx.eventBus().publish(Addresses.events("vm1"), new JsonObject().put("type", "state").put("vm", "vm1")
              .put("from", "STOPPED").put("to", "STARTING"));
          vertx.eventBus().publish(address, consoleLine("e", 0));
        }
        if (received.toString().contains("\"line\":\"e\"")) {
          done.tryComplete(received.toString());
        }
      });
    }).onFailure(done::tryFail)).onFailure(done::tryFail);
    String text = Await.result(done.future());
    assertThat(Await.result(readRequest.future())).isEqualTo(new JsonObject().put("name", "vm1").put("lines", 2)
        .put("after", 5L));
    List<String> ids = text.lines().filter(l -> l.startsWith("id: ")).toList();
    assertThat(ids).containsExactly("id: 0", "id: 10", "id: 20", "id: 30", "id: 0");
    assertThat(text).contains("event: history\ndata: {\"vm\":\"vm1\",\"lines\":2,\"next\":20,\"truncated\":false}");
    assertThat(text.indexOf("event: history")).isBetween(text.indexOf("id: 10"), text.indexOf("id: 20"));
  }
}

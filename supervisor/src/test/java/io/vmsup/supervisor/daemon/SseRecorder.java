package io.vmsup.supervisor.daemon;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Follows an SSE stream of the API and records its events; all state lives on the client's event loop. */
final class SseRecorder {

  private final List<JsonObject> events = new ArrayList<>();
  private final List<Runnable> waiters = new ArrayList<>();
  private final Promise<Void> subscribed = Promise.promise();
  private final StringBuilder pending = new StringBuilder();
  private Context context;

  private SseRecorder() {
  }

  /** Opens {@code path}; the returned future completes when the server said it subscribed. */
  static Future<SseRecorder> open(HttpClient client, String baseUrl, String path, String token) {
    URI uri = URI.create(baseUrl);
    SseRecorder recorder = new SseRecorder();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
        .setPort(uri.getPort()).setURI(path).putHeader("Authorization", "Bearer " + token);
    // the handler is set in the callback that sees the response: a later stage could miss the first chunks
    client.request(options).onSuccess(req -> req.send().onSuccess(resp -> {
      if (resp.statusCode() != 200) {
        recorder.subscribed.tryFail("SSE " + path + " answered " + resp.statusCode());
        return;
      }
      recorder.context = Vertx.currentContext();
      resp.handler(chunk -> recorder.feed(chunk.toString()));
    }).onFailure(recorder.subscribed::tryFail)).onFailure(recorder.subscribed::tryFail);
    return recorder.subscribed.future().map(recorder);
  }

  private void feed(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String frame = pending.substring(0, end);
      pending.delete(0, end + 2);
      for (String line : frame.split("\n")) {
        if (line.startsWith(": subscribed")) {
          subscribed.tryComplete();
        } else if (line.startsWith("data: ")) {
          events.add(new JsonObject(line.substring(6)));
        }
      }
    }
    new ArrayList<>(waiters).forEach(Runnable::run);
  }

  /** Completes with the events so far once one of them matches. */
  Future<List<JsonObject>> until(Predicate<JsonObject> match) {
    Promise<List<JsonObject>> promise = Promise.promise();
    Runnable check = () -> {
      if (events.stream().anyMatch(match)) {
        promise.tryComplete(List.copyOf(events));
      }
    };
    context.runOnContext(v -> {
      waiters.add(check);
      check.run();
    });
    return promise.future();
  }

  static Predicate<JsonObject> state(String vm, String to) {
    return e -> "state".equals(e.getString("type")) && vm.equals(e.getString("vm")) && to.equals(e.getString("to"));
  }
}

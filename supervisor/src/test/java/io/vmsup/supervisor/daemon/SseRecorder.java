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
  // the id: of each event in events (null for an event without one)
  private final List<String> ids = new ArrayList<>();
  private final List<Runnable> waiters = new ArrayList<>();
  private final Promise<Void> subscribed = Promise.promise();
  private final StringBuilder pending = new StringBuilder();
  /**
   * Held for as long as the recorder lives: Vert.x 5 closes an HTTP client the garbage collector finds unreferenced
   * (a Cleaner), and a test holding only the recorder lost its stream ("Connection was closed") when a GC ran.
   */
  private final HttpClient client;
  private Context context;
  /** Why the stream ended (the connection closed or failed), or null while it is open. */
  private String ended;

  private SseRecorder(HttpClient client) {
    this.client = client;
  }

  /** Opens {@code path}; the returned future completes when the server said it subscribed. */
  static Future<SseRecorder> open(HttpClient client, String baseUrl, String path, String token) {
    return open(client, baseUrl, path, token, null);
  }

  /** As above, resuming with a {@code Last-Event-ID} header unless it is null. */
  static Future<SseRecorder> open(HttpClient client, String baseUrl, String path, String token, String lastEventId) {
    URI uri = URI.create(baseUrl);
    SseRecorder recorder = new SseRecorder(client);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
        .setPort(uri.getPort()).setURI(path).putHeader("Authorization", "Bearer " + token);
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    // the handler is set in the callback that sees the response: a later stage could miss the first chunks
    client.request(options).onSuccess(req -> req.send().onSuccess(resp -> {
      if (resp.statusCode() != 200) {
        recorder.subscribed.tryFail("SSE " + path + " answered " + resp.statusCode());
        return;
      }
      recorder.context = Vertx.currentContext();
      resp.handler(chunk -> recorder.feed(chunk.toString()));
      resp.exceptionHandler(e -> recorder.end("failed: " + e));
      resp.endHandler(v -> recorder.end("ended"));
    }).onFailure(recorder.subscribed::tryFail)).onFailure(recorder.subscribed::tryFail);
    return recorder.subscribed.future().map(recorder);
  }

  private void feed(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String frame = pending.substring(0, end);
      pending.delete(0, end + 2);
      String id = null;
      for (String line : frame.split("\n")) {
        if (line.startsWith(": subscribed")) {
          subscribed.tryComplete();
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          events.add(new JsonObject(line.substring(6)));
          ids.add(id);
        }
      }
    }
    new ArrayList<>(waiters).forEach(Runnable::run);
  }

  /** The stream is over: every waiter that has not matched fails, saying so (a test then tells why it failed). */
  private void end(String how) {
    if (ended == null) {
      ended = "the event stream " + how + " after " + events.size() + " events: " + events;
      subscribed.tryFail(ended);
      new ArrayList<>(waiters).forEach(Runnable::run);
    }
  }

  /** Completes with the events so far once one of them matches. */
  Future<List<JsonObject>> until(Predicate<JsonObject> match) {
    Promise<List<JsonObject>> promise = Promise.promise();
    Runnable check = () -> {
      if (events.stream().anyMatch(match)) {
        promise.tryComplete(List.copyOf(events));
      } else if (ended != null) {
        promise.tryFail(ended);
      }
    };
    context.runOnContext(v -> {
      waiters.add(check);
      check.run();
    });
    return promise.future();
  }

  /** The {@code id:} of each event so far, in the order of {@link #until}'s list (null where none was sent). */
  Future<List<String>> ids() {
    Promise<List<String>> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(new ArrayList<>(ids)));
    return promise.future();
  }

  static Predicate<JsonObject> state(String vm, String to) {
    return e -> "state".equals(e.getString("type")) && vm.equals(e.getString("vm")) && to.equals(e.getString("to"));
  }
}

package io.vmsup.supervisor.daemon;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A raw-WebSocket client of the SockJS event-bus bridge speaking its JSON frames; confined to one context. */
final class BridgeClient {

  /** Held for the socket's life: Vert.x 5 closes a client the GC finds unreferenced, and its connections with it. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final Context context;
  private final Map<String, Promise<JsonObject>> replies = new HashMap<>();
  private final List<JsonObject> received = new ArrayList<>();
  private final List<Runnable> waiters = new ArrayList<>();
  private int nextId;

  private BridgeClient(WebSocketClient client, WebSocket socket, Context context) {
    this.client = client;
    this.socket = socket;
    this.context = context;
    // the raw WebSocket transport sends the bridge's JSON frames as binary messages
    socket.handler(data -> onFrame(data.toJsonObject()));
  }

  static Future<BridgeClient> connect(WebSocketClient client, String baseUrl, String tokenOrNull) {
    URI uri = URI.create(baseUrl);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
        // a hang guard: the handshake took over 5 s at load 20 (WebSocketHandshakeException "Connection closed while
        // handshake in process" in BridgeBufferIT and PassThroughShutdownIT, session 9)
        .setURI("/eventbus/websocket").setTimeout(60_000);
    if (tokenOrNull != null) {
      options.addHeader("Authorization", "Bearer " + tokenOrNull);
    }
    // the mapping holds the client until the handshake ends (a GC in between closed it: "Connection closed while
    // handshake in process", CI run 6 of session 6), the BridgeClient after
    return client.connect(options).map(ws -> new BridgeClient(client, ws, Vertx.currentContext()));
  }

  private void onFrame(JsonObject frame) {
    String address = frame.getString("address");
    Promise<JsonObject> reply = address == null ? null : replies.remove(address);
    if (reply != null) {
      reply.complete(frame);
    } else if ("err".equals(frame.getString("type")) && replies.size() == 1 && address == null) {
      // a refused send answers with an err frame that names no address
      Promise<JsonObject> only = replies.values().iterator().next();
      replies.clear();
      only.complete(frame);
    } else {
      received.add(frame);
    }
    new ArrayList<>(waiters).forEach(Runnable::run);
  }

  /** Sends a request; completes with the {@code rec} (reply) or {@code err} frame. */
  Future<JsonObject> request(String address, JsonObject body, JsonObject headers) {
    return Future.<JsonObject>future(p -> context.runOnContext(v -> {
      String replyAddress = "test-reply-" + nextId++;
      replies.put(replyAddress, p);
      JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body)
          .put("replyAddress", replyAddress);
      if (headers != null) {
        frame.put("headers", headers);
      }
      socket.writeTextMessage(frame.encode());
    }));
  }

  Future<Void> register(String address, JsonObject headers) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (headers != null) {
      frame.put("headers", headers);
    }
    return socket.writeTextMessage(frame.encode());
  }

  /** Completes with the first received (non-reply) frame that matches. */
  Future<JsonObject> until(Predicate<JsonObject> match) {
    Promise<JsonObject> promise = Promise.promise();
    context.runOnContext(v -> {
      Runnable check = () -> received.stream().filter(match).findFirst().ifPresent(promise::tryComplete);
      waiters.add(check);
      check.run();
    });
    return promise.future();
  }

  Future<Void> close() {
    return socket.close();
  }

  /** Stops reading: frames stay in the kernel's buffers and the server's queue for this socket grows. */
  void pause() {
    context.runOnContext(v -> socket.pause());
  }

  void resume() {
    context.runOnContext(v -> socket.resume());
  }

  /** Completes when the connection is closed (by either side). */
  Future<Void> closed() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      if (socket.isClosed()) {
        promise.tryComplete();
      } else {
        socket.closeHandler(x -> promise.tryComplete());
      }
    });
    return promise.future();
  }

  /** The received (non-reply) frames that match, in arrival order. */
  Future<List<JsonObject>> receivedMatching(Predicate<JsonObject> match) {
    return Future.future(p -> context.runOnContext(v -> p.complete(received.stream().filter(match).toList())));
  }
}

package io.vmsup.supervisor.http.impl;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;

/**
 * Server-Sent Events: one event-bus consumer per open stream, removed when the client goes away. Each bus event
 * becomes {@code event: <type>} + {@code data: <json>}; a comment line is sent when the stream is subscribed and
 * then every heartbeat interval.
 */
final class EventStream {

  private final Vertx vertx;
  private final VmRoutes vms;
  private final Duration heartbeat;

  EventStream(Vertx vertx, VmRoutes vms, Duration heartbeat) {
    this.vertx = vertx;
    this.vms = vms;
    this.heartbeat = heartbeat;
  }

  void all(RoutingContext ctx) {
    open(ctx, Addresses.EVENTS);
  }

  /** A VM's stream: 404 when the VM does not exist at subscription time. */
  void ofVm(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    vms.request(Addresses.GET, new JsonObject().put("name", name), Duration.ofSeconds(10)).onComplete(ar -> {
      if (ar.failed()) {
        Responses.busFailure(ctx, ar.cause());
      } else {
        open(ctx, Addresses.EVENTS + "." + name);
      }
    });
  }

  private void open(RoutingContext ctx, String address) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address);
    consumer.handler(msg -> {
      // a client that does not read would make us buffer without bound: cut it off, it can reconnect
      if (response.writeQueueFull()) {
        response.reset();
        return;
      }
      response.write(frame(msg.body()));
    });
    long timer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
      if (!response.ended() && !response.closed()) {
        response.write(": keep-alive\n\n");
      }
    });
    Runnable cleanup = () -> {
      vertx.cancelTimer(timer);
      consumer.unregister();
    };
    response.closeHandler(v -> cleanup.run());
    response.endHandler(v -> cleanup.run());
    consumer.completion().onComplete(ar -> {
      if (ar.succeeded()) {
        response.write(": subscribed to " + address + "\n\n");
      } else {
        cleanup.run();
        response.reset();
      }
    });
  }

  static String frame(Object body) {
    String type = body instanceof JsonObject json && json.getValue("type") instanceof String t ? t : "message";
    String data = body instanceof JsonObject json ? json.encode() : String.valueOf(body);
    // JSON from encode() has no raw newlines, so one data line suffices
    return "event: " + type + "\ndata: " + data + "\n\n";
  }
}

package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.Addresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/vms/{name}/console}: a VM's serial console as Server-Sent Events, history first, then live lines.
 * Follows the bus API's recipe for a late subscriber: register on {@code vmsup.console.<name>} and buffer, request
 * {@code vmsup.vm.console.read}, send its lines, then the buffered and later lines whose offset is at least the
 * reply's {@code next}. Each line is {@code id: <offset>}, {@code event: line}, {@code data: {"vm","line","offset"}}.
 */
final class ConsoleStream {

  private final Vertx vertx;
  private final VmRoutes vms;
  private final Duration heartbeat;

  ConsoleStream(Vertx vertx, VmRoutes vms, Duration heartbeat) {
    this.vertx = vertx;
    this.vms = vms;
    this.heartbeat = heartbeat;
  }

  void handle(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject read = new JsonObject().put("name", name);
    if (!number(ctx, "lines", ctx.request().getParam("lines"), read)) {
      return;
    }
    String lastId = ctx.request().getHeader("Last-Event-ID");
    String after = lastId != null && !lastId.isBlank() ? lastId.trim() : ctx.request().getParam("after");
    if (!number(ctx, "after", after, read)) {
      return;
    }
    new Session(ctx, name).open(read);
  }

  // puts the parameter as a number into the read request; false after answering 400
  private static boolean number(RoutingContext ctx, String param, String value, JsonObject read) {
    if (value == null) {
      return true;
    }
    try {
      long n = Long.parseLong(value);
      if (param.equals("lines")) {
        read.put(param, n < Integer.MIN_VALUE || n > Integer.MAX_VALUE ? -1 : (int) n);
      } else {
        read.put(param, n);
      }
      return true;
    } catch (NumberFormatException e) {
      String source = param.equals("after") ? "after (or Last-Event-ID)" : param;
      Responses.problem(ctx, HttpProblems.badBody(source, "must be a whole number"));
      return false;
    }
  }

  /** One open stream; all of its state lives on the request's context. */
  private final class Session {

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final String name;
    private final MessageConsumer<JsonObject> lines;
    private final MessageConsumer<JsonObject> events;
    private List<JsonObject> buffered = new ArrayList<>();
    // lines below this offset were sent with the history (or are older); reset when QEMU starts again, as the log
    // may then be rotated and its offsets start over
    private long watermark = -1;
    private long timer = -1;
    private boolean closed;

    Session(RoutingContext ctx, String name) {
      this.ctx = ctx;
      this.response = ctx.response();
      this.name = name;
      this.lines = vertx.eventBus().consumer(Addresses.console(name));
      this.events = vertx.eventBus().consumer(Addresses.events(name));
    }

    void open(JsonObject read) {
      lines.handler(m -> live(m.body()));
      events.handler(m -> {
        if ("state".equals(m.body().getString("type")) && "STARTING".equals(m.body().getString("to"))) {
          watermark = 0;
        }
      });
      response.closeHandler(v -> cleanup());
      Future.all(lines.completion(), events.completion())
          .compose(v -> vms.request(Addresses.CONSOLE_READ, read, Duration.ofSeconds(30)))
          .onComplete(ar -> {
            if (closed) {
              return;
            }
            if (ar.failed()) {
              cleanup();
              Responses.busFailure(ctx, ar.cause());
            } else {
              start((JsonObject) ar.result().body());
            }
          });
    }

    private void start(JsonObject history) {
      response.setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("X-Accel-Buffering", "no");
      response.write(": subscribed to " + Addresses.console(name) + "\n\n");
      JsonArray lines = history.getJsonArray("lines", new JsonArray());
      for (Object o : lines) {
        JsonObject line = (JsonObject) o;
        send(new JsonObject().put("vm", name).put("line", line.getString("line")).put("offset",
            line.getLong("offset")));
      }
      long next = history.getLong("next", 0L);
      response.write("event: history\ndata: " + new JsonObject().put("vm", name).put("lines", lines.size())
          .put("next", next).put("truncated", history.getBoolean("truncated", false)).encode() + "\n\n");
      watermark = next;
      List<JsonObject> seam = buffered;
      buffered = null;
      seam.forEach(this::live);
      timer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
        if (!response.ended() && !response.closed()) {
          response.write(": keep-alive\n\n");
        }
      });
    }

    private void live(JsonObject line) {
      if (buffered != null) {
        buffered.add(line);
        return;
      }
      long offset = line.getLong("offset", -1L);
      if (offset < watermark) {
        return;
      }
      watermark = offset + 1;
      // a client that does not read would make us buffer without bound: cut it off, it can resume by offset
      if (response.writeQueueFull()) {
        cleanup();
        response.reset();
        return;
      }
      send(line);
    }

    private void send(JsonObject line) {
      response.write("id: " + line.getLong("offset") + "\nevent: line\ndata: " + line.encode() + "\n\n");
    }

    private void cleanup() {
      if (closed) {
        return;
      }
      closed = true;
      if (timer != -1) {
        vertx.cancelTimer(timer);
      }
      lines.unregister();
      events.unregister();
    }
  }
}

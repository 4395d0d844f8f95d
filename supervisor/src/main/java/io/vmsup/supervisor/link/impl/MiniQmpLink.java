package io.vmsup.supervisor.link.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.link.QmpLink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal private QMP connection (newline framing, ids, per-command timers), used until the qmp-client module
 * lands. Confined to the context that connected it.
 */
final class MiniQmpLink implements QmpLink {

  private final Vertx vertx;
  private final NetSocket socket;
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Promise<Void> closed = Promise.promise();
  private final Promise<JsonObject> greeting = Promise.promise();
  private Handler<JsonObject> events = e -> { };
  private long nextId;
  private String version;

  private record Pending(Promise<Object> promise, long timer) {
  }

  MiniQmpLink(Vertx vertx, NetSocket socket) {
    this.vertx = vertx;
    this.socket = socket;
    RecordParser parser = RecordParser.newDelimited("\n", this::onLine).maxRecordSize(10 * 1024 * 1024);
    socket.handler(parser);
    socket.exceptionHandler(t -> socket.close());
    socket.closeHandler(v -> onClose());
  }

  Future<QmpLink> negotiate(Duration timeout) {
    long timer = vertx.setTimer(timeout.toMillis(), t -> greeting.tryFail(
        new VmException(ErrorCode.UNAVAILABLE, "no QMP greeting within " + timeout.toMillis() + " ms")));
    return greeting.future()
        .compose(g -> {
          vertx.cancelTimer(timer);
          JsonObject v = g.getJsonObject("QMP", new JsonObject()).getJsonObject("version", new JsonObject())
              .getJsonObject("qemu", new JsonObject());
          version = v.getInteger("major") + "." + v.getInteger("minor") + "." + v.getInteger("micro");
          return execute("qmp_capabilities", new JsonObject(), timeout);
        })
        .<QmpLink>map(r -> this)
        .onFailure(t -> socket.close());
  }

  private void onLine(Buffer line) {
    JsonObject msg;
    try {
      msg = new JsonObject(line.toString().trim());
    } catch (RuntimeException bad) {
      socket.close();
      return;
    }
    if (msg.containsKey("QMP")) {
      greeting.tryComplete(msg);
    } else if (msg.containsKey("event")) {
      JsonObject ts = msg.getJsonObject("timestamp", new JsonObject());
      long micros = ts.getLong("seconds", 0L) * 1_000_000L + ts.getLong("microseconds", 0L);
      events.handle(new JsonObject().put("event", msg.getString("event"))
          .put("data", msg.getJsonObject("data", new JsonObject())).put("timestamp", micros));
    } else if (msg.containsKey("id")) {
      Pending p = pending.remove(msg.getLong("id"));
      if (p == null) {
        return; // qmp-spec: the late reply of a command that already timed out
      }
      vertx.cancelTimer(p.timer());
      if (msg.containsKey("error")) {
        JsonObject err = msg.getJsonObject("error");
        p.promise().tryFail(new VmException(ErrorCode.INTERNAL, err.getString("desc"),
            new JsonObject().put("qmpClass", err.getString("class"))));
      } else {
        p.promise().tryComplete(msg.getValue("return"));
      }
    } else if (msg.containsKey("error")) {
      socket.close(); // qmp-spec: an error without id means the server could not parse our input
    }
  }

  private void onClose() {
    for (Pending p : pending.values()) {
      vertx.cancelTimer(p.timer());
      p.promise().tryFail(new VmException(ErrorCode.UNAVAILABLE, "QMP connection closed"));
    }
    pending.clear();
    greeting.tryFail(new VmException(ErrorCode.UNAVAILABLE, "QMP connection closed before the greeting"));
    closed.tryComplete();
  }

  @Override
  public Future<Object> execute(String command, JsonObject arguments, Duration timeout) {
    if (closed.future().isComplete()) {
      return Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE, "QMP connection closed"));
    }
    long id = ++nextId;
    Promise<Object> promise = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
      if (pending.remove(id) != null) {
        promise.tryFail(new VmException(ErrorCode.UNAVAILABLE,
            "QEMU did not answer '" + command + "' within " + timeout.toMillis() + " ms"));
      }
    });
    pending.put(id, new Pending(promise, timer));
    JsonObject msg = new JsonObject().put("execute", command).put("id", id);
    if (arguments != null && !arguments.isEmpty()) {
      msg.put("arguments", arguments);
    }
    socket.write(msg.encode() + "\n");
    return promise.future();
  }

  @Override
  public void onEvent(Handler<JsonObject> handler) {
    this.events = handler;
  }

  @Override
  public Future<Void> closed() {
    return closed.future();
  }

  @Override
  public Future<Void> close() {
    socket.close();
    return closed.future();
  }

  @Override
  public Object client() {
    return null;
  }

  @Override
  public String qemuVersion() {
    return version;
  }
}

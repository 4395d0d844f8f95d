package io.vmsup.qmp.impl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vmsup.qmp.QmpClosedException;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpConnectException;
import io.vmsup.qmp.QmpConnectException.Kind;
import io.vmsup.qmp.QmpErrorException;
import io.vmsup.qmp.QmpGreeting;
import io.vmsup.qmp.QmpOptions;
import io.vmsup.qmp.QmpProtocolException;
import io.vmsup.qmp.QmpState;
import io.vmsup.qmp.QmpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One QMP connection: the state machine, id correlation, timeouts and the socket. Every method runs on
 * {@link #context()}; nothing here is shared with other threads.
 */
public final class QmpConnection {

  private static final Logger log = LoggerFactory.getLogger(QmpConnection.class);

  private final ContextInternal ctx;
  private final Path path;
  private final QmpOptions options;
  private final PromiseInternal<QmpConnection> ready;
  private final PromiseInternal<Void> closed;
  private final Map<Long, Pending<?>> pending = new HashMap<>();
  private final List<QmpState> history = new ArrayList<>();
  private final EventHub events;
  private final JsonFramer framer;
  private final FdQueue fdQueue;
  private final LateIds timedOut = new LateIds(4096);
  private NetClient client;
  private NetSocket socket;
  private QmpState state = QmpState.CONNECTING;
  private QmpGreeting greeting;
  private String transport = "none";
  private long nextId = 1;
  private long greetingTimer = -1;
  private long quitId = -1;
  private String closeReason;
  private Throwable closeCause;
  private long lateReplies;
  private long unknownReplies;
  private long bytesReceived;
  private long ignoredIdlessErrors;

  QmpConnection(ContextInternal ctx, Path path, QmpOptions options) {
    this.ctx = ctx;
    this.path = path;
    this.options = options;
    this.ready = ctx.promise();
    this.closed = ctx.promise();
    this.events = new EventHub(ctx, options.eventBufferSize(), options.observer());
    this.framer = new JsonFramer(options.maxFrameBytes(), this::onFrame, this::protocolFailure);
    this.fdQueue = new FdQueue(this);
    history.add(state);
  }

  /** Connects the socket; must run on the context. */
  void start() {
    client = ctx.owner().createNetClient(new NetClientOptions()
        .setConnectTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))));
    client.connect(SocketAddress.domainSocketAddress(path.toString())).onComplete(ar -> {
      if (ar.succeeded()) {
        attach(ar.result());
      } else {
        ready.tryFail(ConnectFailures.classify(ar.cause(), path, options.connectTimeout()));
        closeReason = "connect failed";
        finishClose();
      }
    });
  }

  private void attach(NetSocket so) {
    socket = so;
    transport = FdWriter.transportOf(so);
    so.handler(this::onBytes);
    so.closeHandler(v -> onSocketClosed());
    so.exceptionHandler(t -> {
      log.debug("QMP socket error on " + path, t);
      closeWith("socket error: " + t.getMessage(), t);
    });
    greetingTimer = ctx.setTimer(Math.max(1, options.greetingTimeout().toMillis()), t -> {
      ready.tryFail(new QmpConnectException(Kind.NO_GREETING,
          "no greeting from " + path + " within " + options.greetingTimeout().toMillis() + " ms"));
      closeWith("no greeting", null);
    });
  }

  private void onBytes(Buffer chunk) {
    bytesReceived += chunk.length();
    if (state != QmpState.CLOSING && state != QmpState.CLOSED) {
      framer.handle(chunk);
    }
  }

  private void onFrame(Buffer frame) {
    if (state == QmpState.CLOSING || state == QmpState.CLOSED) {
      return;
    }
    ServerMessage msg;
    try {
      msg = MessageDecoder.decode(frame);
    } catch (QmpProtocolException e) {
      protocolFailure(e);
      return;
    }
    if (msg instanceof ServerMessage.Event e) {
      // qmp-spec: events may precede the greeting (seen in practice); skip them
      if (state != QmpState.CONNECTING) {
        events.dispatch(e.event());
      }
    } else if (msg instanceof ServerMessage.Greeting g) {
      onGreeting(g.greeting());
    } else if (state == QmpState.CONNECTING) {
      protocolFailure(new QmpProtocolException("reply before the greeting: " + MessageDecoder.preview(frame)));
    } else if (msg instanceof ServerMessage.Return r) {
      onReply(r.id(), r.value(), null);
    } else if (msg instanceof ServerMessage.Error err) {
      onError(err);
    }
  }

  private void onGreeting(QmpGreeting g) {
    if (state == QmpState.NEGOTIATING) {
      // Seen with QEMU 7.2 (-chardev socket + -mon, client connecting while the monitor is set up): a second
      // greeting resets the session before our qmp_capabilities is read, which then negotiates the new session.
      log.debug("QMP " + path + ": second greeting while negotiating, ignored");
      return;
    }
    if (state == QmpState.RUNNING) {
      // The same reset after our negotiation: the session is back in capabilities mode; negotiate it again.
      log.warn("QMP " + path + ": greeting while running (QEMU reset the session); negotiating again");
      negotiate(g).onFailure(e -> protocolFailure(new QmpProtocolException(
          "renegotiation after a repeated greeting failed: " + e.getMessage(), e)));
      return;
    }
    ctx.owner().cancelTimer(greetingTimer);
    greeting = g;
    transition(QmpState.NEGOTIATING);
    negotiate(g).onComplete(ar -> {
      if (ar.succeeded()) {
        transition(QmpState.RUNNING);
        ready.tryComplete(this);
      } else {
        ready.tryFail(new QmpConnectException(Kind.PROTOCOL,
            "qmp_capabilities failed: " + ar.cause().getMessage(), ar.cause()));
        closeWith("negotiation failed", ar.cause());
      }
    });
  }

  private Future<Void> negotiate(QmpGreeting g) {
    JsonObject args = g.offers("oob") ? new JsonObject().put("enable", new JsonArray().add("oob")) : null;
    return send(QmpCommand.noResult("qmp_capabilities", args), options.greetingTimeout());
  }

  private void onError(ServerMessage.Error err) {
    if (err.id() != null) {
      onReply(err.id(), null, new QmpErrorException(err.errorClass(), err.desc()));
    } else if (fdQueue.expectsIdlessError()) {
      // STACK.md: the fd's NUL carrier byte and our 0x1f lexer reset each make QEMU's lexer emit an id-less
      // "JSON parse error, stray ..." (two per fd on QEMU 7.2); expected until the fd command's reply
      ignoredIdlessErrors++;
      log.debug("QMP: id-less error after an fd write ignored: " + err.desc());
    } else {
      // qmp-spec: an error without id means the server could not parse our input; the stream is out of sync
      protocolFailure(new QmpProtocolException(
          "error without id (the server could not parse our input): " + err.errorClass() + ": " + err.desc()));
    }
  }

  private void onReply(long id, Object value, QmpErrorException error) {
    fdQueue.replied(id);
    Pending<?> p = pending.remove(id);
    if (p == null) {
      if (timedOut.remove(id)) {
        lateReplies++;
      } else {
        unknownReplies++;
      }
      log.debug("QMP: dropped a reply to id " + id + " (timed out or unknown)");
      return;
    }
    ctx.owner().cancelTimer(p.timer);
    if (error != null) {
      p.fail(error, "error", options.observer());
    } else {
      p.complete(value, options.observer());
    }
  }

  /** Sends {@code command} now (pipelined) with its own timeout. */
  <T> Future<T> send(QmpCommand<T> command, Duration timeout) {
    PromiseInternal<T> promise = ctx.promise();
    if (!(state == QmpState.RUNNING
        || (state == QmpState.NEGOTIATING && command.name().equals("qmp_capabilities")))) {
      promise.fail(notRunning());
      return promise.future();
    }
    long id = nextId++;
    JsonObject envelope = new JsonObject().put(command.oob() ? "exec-oob" : "execute", command.name());
    if (command.arguments() != null) {
      envelope.put("arguments", command.arguments());
    }
    envelope.put("id", id);
    Pending<T> p = new Pending<>(id, command, promise);
    p.timer = ctx.setTimer(Math.max(1, timeout.toMillis()), t -> onTimeout(id, timeout));
    pending.put(id, p);
    if (command.name().equals("quit")) {
      quitId = id;
    }
    socket.write(envelope.toBuffer());
    return promise.future();
  }

  private void onTimeout(long id, Duration timeout) {
    Pending<?> p = pending.remove(id);
    if (p != null) {
      timedOut.add(id);
      p.fail(new QmpTimeoutException(p.command.name(), timeout), "timeout", options.observer());
    }
  }

  long lastId() {
    return nextId - 1;
  }

  QmpClosedException notRunning() {
    if (state == QmpState.CLOSING || state == QmpState.CLOSED) {
      return new QmpClosedException(closeReason, closeCause);
    }
    return new QmpClosedException("connection is " + state + ", not RUNNING");
  }

  private void protocolFailure(QmpProtocolException e) {
    log.debug("QMP protocol error on " + path + ": " + e.getMessage());
    ready.tryFail(new QmpConnectException(Kind.PROTOCOL, e.getMessage(), e));
    closeWith("protocol error: " + e.getMessage(), e);
  }

  /** Starts closing: pending commands fail now, the socket closes, {@link #finishClose} follows. */
  void closeWith(String reason, Throwable cause) {
    if (state == QmpState.CLOSING || state == QmpState.CLOSED) {
      return;
    }
    closeReason = reason;
    closeCause = cause;
    transition(QmpState.CLOSING);
    failAll();
    if (socket != null) {
      socket.close();
    } else {
      finishClose();
    }
  }

  private void onSocketClosed() {
    if (state == QmpState.CLOSED) {
      return;
    }
    if (state != QmpState.CLOSING) {
      // qmp-spec: quit races its reply against EOF; EOF after quit is success
      Pending<?> quit = pending.remove(quitId);
      if (quit != null) {
        ctx.owner().cancelTimer(quit.timer);
        quit.complete(new JsonObject(), options.observer());
      }
      closeReason = quitId >= 0 ? "QEMU quit" : "connection closed by peer";
      transition(QmpState.CLOSING);
    }
    finishClose();
  }

  private void finishClose() {
    failAll();
    ready.tryFail(new QmpConnectException(Kind.NO_GREETING, "connection to " + path
        + " closed before negotiation completed: " + closeReason, closeCause));
    if (state != QmpState.CLOSED) {
      transition(QmpState.CLOSED);
    }
    if (client != null) {
      client.close();
    }
    closed.tryComplete();
  }

  private void failAll() {
    QmpClosedException ex = new QmpClosedException(closeReason, closeCause);
    ctx.owner().cancelTimer(greetingTimer);
    List<Pending<?>> all = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending<?> p : all) {
      ctx.owner().cancelTimer(p.timer);
      p.fail(ex, "closed", options.observer());
    }
    fdQueue.close(ex);
    events.close(ex);
  }

  private void transition(QmpState to) {
    if (to.ordinal() <= state.ordinal()) {
      throw new IllegalStateException("QMP connection cannot go from " + state + " to " + to);
    }
    log.debug("QMP " + path + ": " + state + " -> " + to);
    state = to;
    history.add(to);
  }

  ContextInternal context() {
    return ctx;
  }

  Future<QmpConnection> ready() {
    return ready.future();
  }

  Future<Void> closeFuture() {
    return closed.future();
  }

  EventHub events() {
    return events;
  }

  FdQueue fdQueue() {
    return fdQueue;
  }

  NetSocket socket() {
    return socket;
  }

  QmpState state() {
    return state;
  }

  QmpGreeting greeting() {
    return greeting;
  }

  String transport() {
    return transport;
  }

  QmpOptions options() {
    return options;
  }

  /** Every state this connection went through, in order (for tests and diagnostics). */
  public List<QmpState> history() {
    return List.copyOf(history);
  }

  /** Replies dropped because their command had timed out. */
  public long lateReplies() {
    return lateReplies;
  }

  /** Id-less errors tolerated because they followed an fd write (the carrier byte's echo). */
  public long ignoredIdlessErrors() {
    return ignoredIdlessErrors;
  }

  /** Bytes read from the socket so far. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** Replies dropped because no command with that id was ever sent. */
  public long unknownReplies() {
    return unknownReplies;
  }
}

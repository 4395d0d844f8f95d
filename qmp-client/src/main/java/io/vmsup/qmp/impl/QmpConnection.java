package io.vmsup.qmp.impl;

import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vmsup.qmp.QmpClosedException;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpConnectException;
import io.vmsup.qmp.QmpConnectException.Kind;
import io.vmsup.qmp.QmpException;
import io.vmsup.qmp.QmpGreeting;
import io.vmsup.qmp.QmpOptions;
import io.vmsup.qmp.QmpPeer;
import io.vmsup.qmp.QmpProtocolException;
import io.vmsup.qmp.QmpState;
import io.vmsup.qmp.QmpUnsendableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
  private final List<QmpState> history = new ArrayList<>();
  private final EventHub events;
  private final FdQueue fdQueue;
  private final Correlator ids;
  private final Handshake handshake;
  private final Inbound inbound;
  private NetSocket socket;
  private Outbound outbound;
  private QmpState state = QmpState.CONNECTING;
  private String transport = "none";
  private QmpPeer peer;
  private String closeReason;
  private Throwable closeCause;

  QmpConnection(ContextInternal ctx, Path path, QmpOptions options) {
    this.ctx = ctx;
    this.path = path;
    this.options = options;
    this.ready = ctx.promise();
    this.closed = ctx.promise();
    this.events = new EventHub(ctx, options.eventBufferSize(), options.observer());
    this.fdQueue = new FdQueue(this);
    this.ids = new Correlator(ctx, options.observer());
    this.handshake = new Handshake(this);
    this.inbound = new Inbound(this, handshake, ids);
    history.add(state);
  }

  /** Connects the socket; must run on the context. */
  void start() {
    int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
    ConnectOptions to = new ConnectOptions().setRemoteAddress(SocketAddress.domainSocketAddress(path.toString()))
        .setTimeout(timeoutMs);
    QmpNetClient.of(ctx).connect(to).onComplete(ar -> {
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
    outbound = new Outbound(so, e -> closeWith("socket error: " + e.getMessage(), e));
    transport = FdWriter.transportOf(so);
    so.closeHandler(v -> onSocketClosed());
    so.exceptionHandler(t -> {
      log.debug("QMP socket error on " + path, t);
      closeWith("socket error: " + t.getMessage(), t);
    });
    // who serves the path is checked before a byte is read: the path may be a link to another QEMU's socket
    peer = PeerCredentials.of(so);
    String refusal = options.peerCheck().refusal(peer);
    if (refusal != null) {
      ready.tryFail(new QmpConnectException(Kind.WRONG_PEER, path + ": " + refusal));
      closeWith("wrong peer: " + refusal, null);
      return;
    }
    ((NetSocketInternal) so).messageHandler(inbound::onMessage);
    handshake.awaitGreeting();
  }

  /** Sends {@code command} now (pipelined) with its own timeout. */
  <T> Future<T> send(QmpCommand<T> command, Duration timeout) {
    PromiseInternal<T> promise = ctx.promise();
    if (!(state == QmpState.RUNNING
        || (state == QmpState.NEGOTIATING && command.name().equals("qmp_capabilities")))) {
      promise.fail(notRunning());
      return promise.future();
    }
    QmpException refused = refusal(command);
    if (refused != null) {
      promise.fail(refused);
      return promise.future();
    }
    long id = ids.register(command, promise, timeout);
    outbound.writeCommand(command, id);
    return promise.future();
  }

  /**
   * Why {@code command} would be refused before it is written, or null: a string QEMU's parser refuses (it would
   * answer without an id, which ends the connection for every command on it), or QEMU not reading its monitor (the
   * command would only pile up behind the others, timed out or not). Asked again before an fd is written for it.
   */
  QmpException refusal(QmpCommand<?> command) {
    QmpUnsendableException unsendable = WireText.check(command);
    if (unsendable != null) {
      return unsendable;
    }
    return outbound.backlog(command.name());
  }

  long lastId() {
    return ids.lastId();
  }

  QmpClosedException notRunning() {
    if (state == QmpState.CLOSING || state == QmpState.CLOSED) {
      return new QmpClosedException(closeReason, closeCause);
    }
    return new QmpClosedException("connection is " + state + ", not RUNNING");
  }

  void protocolFailure(QmpProtocolException e) {
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
      outbound.flushNow();
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
      ids.peerClosed();
      closeReason = ids.quitSent() ? "QEMU quit" : "connection closed by peer";
      transition(QmpState.CLOSING);
    }
    finishClose();
  }

  private void finishClose() {
    failAll();
    if (outbound != null) {
      outbound.release();
    }
    ready.tryFail(new QmpConnectException(Kind.NO_GREETING, "connection to " + path
        + " closed before negotiation completed: " + closeReason, closeCause));
    if (state != QmpState.CLOSED) {
      transition(QmpState.CLOSED);
    }
    closed.tryComplete();
  }

  private void failAll() {
    QmpClosedException ex = new QmpClosedException(closeReason, closeCause);
    handshake.cancel();
    ids.failAll(new QmpClosedException(closeReason, closeCause, true)); // pending: it may have reached QEMU
    fdQueue.close(ex);
    events.close(ex);
  }

  void transition(QmpState to) {
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

  /** Negotiation succeeded: the connection is RUNNING and ready. */
  void negotiated() {
    transition(QmpState.RUNNING);
    ready.tryComplete(this);
  }

  void readyFailed(QmpConnectException e) {
    ready.tryFail(e);
  }

  Path path() {
    return path;
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

  Outbound outbound() {
    return outbound;
  }

  QmpState state() {
    return state;
  }

  QmpGreeting greeting() {
    return handshake.greeting();
  }

  String transport() {
    return transport;
  }

  QmpPeer peer() {
    return peer;
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
    return ids.lateReplies();
  }

  /** Id-less errors tolerated because they followed an fd write (the carrier byte's echo). */
  public long ignoredIdlessErrors() {
    return inbound.ignoredIdlessErrors();
  }

  /** Bytes read from the socket so far. */
  public long bytesReceived() {
    return inbound.bytesReceived();
  }

  /** Deadline timers set so far: about one per timeout period, not one per command. */
  public long deadlineTimersSet() {
    return ids.timersSet();
  }

  /** Replies dropped because no command waiting for a reply (or timed out) had that id. */
  public long unknownReplies() {
    return ids.unknownReplies();
  }
}

package io.vmsup.qmp.impl;

import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpConnectException;
import io.vmsup.qmp.QmpConnectException.Kind;
import io.vmsup.qmp.QmpGreeting;
import io.vmsup.qmp.QmpProtocolException;
import io.vmsup.qmp.QmpState;

/**
 * The greeting and capabilities negotiation of one {@link QmpConnection}: a timer for the greeting, then
 * {@code qmp_capabilities} (with {@code oob} when offered); a greeting repeated by QEMU is handled as QEMU means it.
 * Runs on the connection's context.
 */
final class Handshake {

  private static final Logger log = LoggerFactory.getLogger(Handshake.class);

  private final QmpConnection conn;
  private QmpGreeting greeting;
  private long timer = -1;
  private long pokeTimer = -1;

  Handshake(QmpConnection conn) {
    this.conn = conn;
  }

  /** The socket is connected: the greeting must come within the greeting timeout. */
  void awaitGreeting() {
    long ms = conn.options().greetingTimeout().toMillis();
    timer = conn.context().setTimer(Math.max(1, ms), t -> {
      conn.readyFailed(new QmpConnectException(Kind.NO_GREETING,
          "no greeting from " + conn.path() + " within " + ms + " ms"));
      conn.closeWith("no greeting", null);
    });
  }

  void cancel() {
    conn.context().owner().cancelTimer(timer);
  }

  /** The server's greeting, null before it came. */
  QmpGreeting greeting() {
    return greeting;
  }

  void onGreeting(QmpGreeting g) {
    if (conn.state() == QmpState.NEGOTIATING) {
      // Seen with QEMU 7.2 (-chardev socket + -mon, client connecting while the monitor is set up): a second
      // greeting resets the session before our qmp_capabilities is read, which then negotiates the new session.
      log.debug("QMP " + conn.path() + ": second greeting while negotiating, ignored");
      return;
    }
    if (conn.state() == QmpState.RUNNING) {
      // The same reset after our negotiation: the session is back in capabilities mode; negotiate it again.
      log.warn("QMP " + conn.path() + ": greeting while running (QEMU reset the session); negotiating again");
      negotiate(g).onFailure(e -> conn.protocolFailure(new QmpProtocolException(
          "renegotiation after a repeated greeting failed: " + e.getMessage(), e)));
      return;
    }
    cancel();
    greeting = g;
    conn.transition(QmpState.NEGOTIATING);
    negotiate(g).onComplete(ar -> {
      if (ar.succeeded()) {
        conn.negotiated();
      } else {
        conn.readyFailed(new QmpConnectException(Kind.PROTOCOL,
            "qmp_capabilities failed: " + ar.cause().getMessage(), ar.cause()));
        conn.closeWith("negotiation failed", ar.cause());
      }
    });
  }

  private Future<Void> negotiate(QmpGreeting g) {
    JsonObject args = g.offers("oob") ? new JsonObject().put("enable", new JsonArray().add("oob")) : null;
    Future<Void> answered = conn.send(QmpCommand.noResult("qmp_capabilities", args), conn.options().greetingTimeout());
    answered.onComplete(ar -> conn.context().owner().cancelTimer(pokeTimer));
    pokeWhileUnanswered(answered);
    return answered;
  }

  /**
   * QEMU 7.2's monitor runs its socket I/O on an I/O thread but dispatches commands from the main loop, and a client
   * that connects while the monitor moves its listening socket from the main loop to that thread can leave the main
   * thread blocked in accept(2) on the (blocking) listening socket, after the I/O thread accepted and greeted the
   * client: the greeting comes, no command is ever answered. Seen here in bursts of 200 starts (the main thread's
   * kernel stack in unix_accept, the I/O thread in poll; about once in 200-1,000 starts, idle or loaded). Another
   * connection wakes that accept; QEMU drops it at once (its listener has no client handler while one is connected)
   * and its main loop runs again. So while {@code qmp_capabilities} is unanswered, one connection is opened and closed
   * every {@link #pokeEveryMs()}: to a QEMU that is only slow it is one connection waiting in a one-deep backlog,
   * dropped once accepted; an attempt that finds the backlog full fails and is ignored.
   */
  private void pokeWhileUnanswered(Future<Void> answered) {
    long every = pokeEveryMs();
    pokeTimer = conn.context().setTimer(every, t -> {
      if (answered.isComplete()) {
        return;
      }
      log.debug("QMP " + conn.path() + ": qmp_capabilities unanswered after " + every + " ms; opening a second"
          + " connection to wake a main loop blocked in accept");
      SocketAddress to = SocketAddress.domainSocketAddress(conn.path().toString());
      QmpNetClient.of(conn.context()).connect(new ConnectOptions().setRemoteAddress(to).setTimeout((int) every))
          .onSuccess(NetSocket::close);
      pokeWhileUnanswered(answered);
    });
  }

  /** A tenth of the greeting timeout, at most 500 ms: well above a healthy QEMU's answer (below 1 ms idle here). */
  private long pokeEveryMs() {
    return Math.max(1, Math.min(500, conn.options().greetingTimeout().toMillis() / 10));
  }
}

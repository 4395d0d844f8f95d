package io.vmsup.qmp.impl;

import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
    return conn.send(QmpCommand.noResult("qmp_capabilities", args), conn.options().greetingTimeout());
  }
}

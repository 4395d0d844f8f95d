package io.vmsup.qmp.impl;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vmsup.qmp.QmpErrorException;
import io.vmsup.qmp.QmpProtocolException;
import io.vmsup.qmp.QmpState;

/**
 * What the server sends on one {@link QmpConnection}: bytes → frames ({@link JsonFramer}) → messages
 * ({@link MessageDecoder}), each handed to the part that waits for it by the connection's state: the greeting to the
 * {@link Handshake}, replies to the {@link Correlator}, events to the {@link EventHub}. Runs on the connection's
 * context.
 */
final class Inbound {

  private static final Logger log = LoggerFactory.getLogger(Inbound.class);

  private final QmpConnection conn;
  private final Handshake handshake;
  private final Correlator ids;
  private final JsonFramer framer;
  // the framer keeps nothing of a chunk past the call, so one array serves every read (large ones are not kept)
  private static final int SCRATCH_KEPT = 1 << 16;
  private byte[] scratch = new byte[4096];
  private long bytesReceived;
  private long ignoredIdlessErrors;

  Inbound(QmpConnection conn, Handshake handshake, Correlator ids) {
    this.conn = conn;
    this.handshake = handshake;
    this.ids = ids;
    this.framer = new JsonFramer(conn.options().maxFrameBytes(), this::onFrame, conn::protocolFailure);
  }

  /**
   * What the socket read, as Netty's own buffer (Vert.x's raw message handler: no copy into a Vert.x buffer and no
   * inbound queue in between); released here.
   */
  void onMessage(Object message) {
    Outbound out = conn.outbound();
    out.beginRead();
    try {
      if (message instanceof ByteBuf buf) {
        onBytes(buf);
      }
    } finally {
      ReferenceCountUtil.release(message);
      out.endRead(); // what the reply callbacks wrote leaves now, before the loop waits again
    }
  }

  private void onBytes(ByteBuf buf) {
    int n = buf.readableBytes();
    bytesReceived += n;
    if (closing()) {
      return;
    }
    if (buf.hasArray()) {
      framer.handle(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.arrayOffset() + buf.readerIndex() + n);
      return;
    }
    if (scratch.length < n || scratch.length > SCRATCH_KEPT && n <= SCRATCH_KEPT) {
      scratch = new byte[Math.max(n, 4096)];
    }
    buf.getBytes(buf.readerIndex(), scratch, 0, n);
    framer.handle(scratch, 0, n);
  }

  private boolean closing() {
    return conn.state() == QmpState.CLOSING || conn.state() == QmpState.CLOSED;
  }

  private void onFrame(byte[] bytes, int from, int to) {
    if (closing()) {
      return;
    }
    ServerMessage msg;
    try {
      msg = MessageDecoder.decode(bytes, from, to);
    } catch (QmpProtocolException e) {
      conn.protocolFailure(e);
      return;
    }
    if (msg instanceof ServerMessage.Event e) {
      // qmp-spec: events may precede the greeting (seen in practice); skip them
      if (conn.state() != QmpState.CONNECTING) {
        conn.events().dispatch(e.event());
      }
    } else if (msg instanceof ServerMessage.Greeting g) {
      handshake.onGreeting(g.greeting());
    } else if (conn.state() == QmpState.CONNECTING) {
      conn.protocolFailure(new QmpProtocolException("reply before the greeting: " + MessageDecoder.preview(bytes, from, to)));
    } else if (msg instanceof ServerMessage.Return r) {
      // qmp-spec: a reply carries the id of its command; we always send one, so a reply without is none of ours
      onReply(r.id() == null ? MessageDecoder.FOREIGN_ID : r.id(), r.value(), null);
    } else if (msg instanceof ServerMessage.Error err) {
      onError(err);
    }
  }

  private void onError(ServerMessage.Error err) {
    if (err.id() != null) {
      onReply(err.id(), null, new QmpErrorException(err.errorClass(), err.desc()));
    } else if (conn.fdQueue().expectsIdlessError()) {
      // STACK.md: the fd's NUL carrier byte and our 0x1f lexer reset each make QEMU's lexer emit an id-less
      // "JSON parse error, stray ..." (two per fd on QEMU 7.2); expected until the fd command's reply
      ignoredIdlessErrors++;
      log.debug("QMP: id-less error after an fd write ignored: " + err.desc());
    } else {
      // qmp-spec: an error without id means the server could not parse our input; the stream is out of sync
      conn.protocolFailure(new QmpProtocolException(
          "error without id (the server could not parse our input): " + err.errorClass() + ": " + err.desc()));
    }
  }

  private void onReply(long id, Object value, QmpErrorException error) {
    conn.fdQueue().replied(id);
    ids.reply(id, value, error);
  }

  long bytesReceived() {
    return bytesReceived;
  }

  long ignoredIdlessErrors() {
    return ignoredIdlessErrors;
  }
}

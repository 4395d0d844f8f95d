package io.vmsup.supervisor.bridge.impl;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vmsup.supervisor.bridge.TcpBridgeSettings;

/**
 * One TCP bridge client: its bytes go through a {@link FrameGate} and {@link FrameCheck} to a connection of its own to
 * the library bridge's unix socket, and what the bridge answers goes back as it is. Closing either side closes both.
 * Confined to the client socket's context.
 */
final class FrontConnection {

  private static final System.Logger LOG = System.getLogger(FrontConnection.class.getName());

  private final Vertx vertx;
  private final NetSocket client;
  private final TcpBridgeSettings settings;
  private final int bufferBytes;
  private final Runnable onClose;
  private final FrameGate gate;
  private NetSocket backend;
  private long firstFrameTimer;
  private boolean sawFrame;
  private boolean closed;

  FrontConnection(Vertx vertx, NetSocket client, TcpBridgeSettings settings, int bufferBytes, Runnable onClose) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.bufferBytes = bufferBytes;
    this.onClose = onClose;
    this.gate = new FrameGate(settings.maxFrameBytes(), this::frame);
  }

  /** Connects to the library bridge, then reads the client. */
  void start(NetClient backends, SocketAddress bridge) {
    client.pause();
    client.setWriteQueueMaxSize(bufferBytes);
    client.closeHandler(v -> close(null));
    client.exceptionHandler(t -> close("client socket: " + t));
    firstFrameTimer = vertx.setTimer(settings.firstFrame().toMillis(), id -> {
      if (!sawFrame) {
        close("no complete frame within " + settings.firstFrame().toSeconds() + " s");
      }
    });
    backends.connect(bridge).onComplete(ar -> {
      if (ar.failed()) {
        close("cannot reach the bridge: " + ar.cause());
        return;
      }
      backend = ar.result();
      if (closed) {
        backend.close();
        return;
      }
      backend.handler(this::toClient);
      backend.closeHandler(v -> close(null));
      backend.exceptionHandler(t -> close("bridge socket: " + t));
      backend.drainHandler(v -> client.resume());
      client.handler(this::fromClient);
      client.resume();
    });
  }

  private void fromClient(Buffer bytes) {
    String dead = gate.feed(bytes);
    if (dead != null && !closed) {
      error("frame_too_large: " + dead);
      close(dead);
    }
  }

  private void frame(Buffer frame) {
    sawFrame = true;
    vertx.cancelTimer(firstFrameTimer);
    String problem = FrameCheck.problem(frame);
    if (problem != null) {
      error("invalid_frame: " + problem);
      return;
    }
    backend.write(frame);
    if (backend.writeQueueFull()) {
      client.pause();
    }
  }

  // a client that does not read would make us buffer without bound: close it, it can reconnect (as the SockJS bridge)
  private void toClient(Buffer bytes) {
    if (client.writeQueueFull()) {
      close("more than " + bufferBytes + " bytes queued: the client does not read");
      return;
    }
    client.write(bytes);
  }

  private void error(String message) {
    JsonObject err = new JsonObject().put("type", "err").put("message", message);
    Buffer body = err.toBuffer();
    client.write(Buffer.buffer(4 + body.length()).appendInt(body.length()).appendBuffer(body));
  }

  private void close(String why) {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(firstFrameTimer);
    if (why != null) {
      LOG.log(System.Logger.Level.WARNING, "TCP bridge: closing {0}: {1}", client.remoteAddress(), why);
    }
    client.close();
    if (backend != null) {
      backend.close();
    }
    onClose.run();
  }
}

package io.vmsup.supervisor.bridge.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import io.vmsup.supervisor.bridge.EventBusBridge;
import io.vmsup.supervisor.bridge.TcpBridge;
import io.vmsup.supervisor.bridge.TcpBridgeSettings;
import io.vmsup.supervisor.http.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The library bridge on a unix socket, a front on the TCP port. The connection count is atomic: accepted sockets may
 * be handled on different event loops.
 */
public final class TcpBridgeImpl implements TcpBridge {

  private static final System.Logger LOG = System.getLogger(TcpBridgeImpl.class.getName());
  /** Name of the library bridge's unix socket in the socket directory. */
  public static final String SOCKET_NAME = "tcp-bridge.sock";

  private final Vertx vertx;
  private final TcpBridgeSettings settings;
  private final int bufferBytes;
  private final AtomicInteger open = new AtomicInteger();
  private final SocketAddress bridgeAddress;
  private TcpEventBusBridge bridge;
  private NetServer front;
  private NetClient backends;

  private TcpBridgeImpl(Vertx vertx, TcpBridgeSettings settings, int bufferBytes, Path socket) {
    this.vertx = vertx;
    this.settings = settings;
    this.bufferBytes = bufferBytes;
    this.bridgeAddress = SocketAddress.domainSocketAddress(socket.toString());
  }

  public static Future<TcpBridge> start(Vertx vertx, Tokens tokens, TcpBridgeSettings settings,
                                        PemKeyCertOptions tls, Path socketDir, int bufferBytes) {
    Path socket = socketDir.resolve(SOCKET_NAME);
    TcpBridgeImpl impl = new TcpBridgeImpl(vertx, settings, bufferBytes, socket);
    BridgeOptions options = new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddressRegex(EventBusBridge.INBOUND))
        .addOutboundPermitted(new PermittedOptions().setAddress(EventBusBridge.OUTBOUND_ALL))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(EventBusBridge.OUTBOUND_VM))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(EventBusBridge.OUTBOUND_CONSOLE));
    TcpBridgeGuard guard = new TcpBridgeGuard(tokens);
    // a socket file left by a daemon that died is in the way of listen()
    return vertx.executeBlocking(() -> Files.deleteIfExists(socket), false)
        .compose(v -> TcpEventBusBridge.create(vertx, options, new NetServerOptions(), guard::handle)
            .listen(impl.bridgeAddress))
        .compose(b -> {
          impl.bridge = b;
          impl.backends = vertx.createNetClient();
          NetServerOptions frontOptions = new NetServerOptions().setHost(settings.host()).setPort(settings.port());
          if (tls != null) {
            frontOptions.setSsl(true).setKeyCertOptions(tls);
          }
          return vertx.createNetServer(frontOptions).connectHandler(impl::accept).listen();
        })
        .map(server -> {
          impl.front = server;
          LOG.log(System.Logger.Level.INFO, "TCP event-bus bridge on " + settings.host() + ":" + server.actualPort()
              + (tls != null ? " (TLS)" : ""));
          if (tls == null && !settings.loopbackOnly()) {
            LOG.log(System.Logger.Level.WARNING, "TCP bridge bound to " + settings.host() + " without TLS: tokens"
                + " cross the network in clear text (set tlsCert and tlsKey)");
          }
          return (TcpBridge) impl;
        })
        .recover(t -> impl.close().transform(x -> Future.failedFuture(t)));
  }

  private void accept(NetSocket client) {
    if (open.incrementAndGet() > settings.maxConnections()) {
      open.decrementAndGet();
      LOG.log(System.Logger.Level.WARNING, "TCP bridge: refused {0}: {1} connections open already",
          client.remoteAddress(), settings.maxConnections());
      client.close();
      return;
    }
    new FrontConnection(vertx, client, settings, bufferBytes, open::decrementAndGet).start(backends, bridgeAddress);
  }

  @Override
  public int port() {
    return front.actualPort();
  }

  @Override
  public Future<Void> close() {
    Future<Void> f = front == null ? Future.succeededFuture() : front.close();
    return f.eventually(() -> bridge == null ? Future.succeededFuture() : bridge.close())
        .eventually(() -> backends == null ? Future.succeededFuture() : backends.close());
  }
}

package io.vmsup.supervisor.link.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vmsup.supervisor.link.QmpConnector;
import io.vmsup.supervisor.link.QmpLink;
import java.time.Duration;
import java.nio.file.Path;

/** Connects {@link MiniQmpLink}s; one NetClient per Vert.x instance, kept in a field (clients are GC-closed). */
public final class MiniQmpConnector implements QmpConnector {

  private final Vertx vertx;
  private final Duration timeout;
  private final NetClient client;

  public MiniQmpConnector(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeout.toMillis()));
  }

  @Override
  public Future<QmpLink> connect(Path socket) {
    return client.connect(SocketAddress.domainSocketAddress(socket.toString()))
        .recover(t -> Future.failedFuture(new NotListening(socket + ": " + t.getMessage())))
        .compose(s -> new MiniQmpLink(vertx, s).negotiate(timeout));
  }
}

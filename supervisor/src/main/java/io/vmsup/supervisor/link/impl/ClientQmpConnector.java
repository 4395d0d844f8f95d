package io.vmsup.supervisor.link.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vmsup.qmp.QmpClient;
import io.vmsup.qmp.QmpConnectException;
import io.vmsup.qmp.QmpObserver;
import io.vmsup.qmp.QmpOptions;
import io.vmsup.qmp.QmpPeerCheck;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.link.QmpConnector;
import io.vmsup.supervisor.link.QmpLink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** Connects {@link ClientQmpLink}s with the qmp-client module, one {@link QmpObserver} per VM. */
public final class ClientQmpConnector implements QmpConnector {

  private final Vertx vertx;
  private final QmpOptions base;
  private final Function<String, QmpObserver> observers;

  public ClientQmpConnector(Vertx vertx, Duration timeout, Function<String, QmpObserver> observers) {
    this.vertx = vertx;
    this.base = QmpOptions.defaults().withConnectTimeout(timeout).withGreetingTimeout(timeout)
        .withCommandTimeout(timeout);
    this.observers = observers;
  }

  @Override
  public Future<QmpLink> connect(Path socket, String vm, QmpPeerCheck peer) {
    return QmpClient.connect(vertx, socket, base.withObserver(observers.apply(vm)).withPeerCheck(peer))
        .<QmpLink>map(ClientQmpLink::new)
        .recover(t -> Future.failedFuture(map(t)));
  }

  private static Throwable map(Throwable t) {
    // Every connect failure is worth another try while QEMU starts: besides "no socket yet" and "refused" (socket
    // bound, not yet listening), a client that meets a half-initialised monitor may see no or a garbled greeting.
    if (t instanceof QmpConnectException c && c.kind() == QmpConnectException.Kind.WRONG_PEER) {
      return new WrongPeer(c.getMessage());
    }
    if (t instanceof QmpConnectException c) {
      return new NotListening(c.getMessage());
    }
    return VmException.wrap(t);
  }
}

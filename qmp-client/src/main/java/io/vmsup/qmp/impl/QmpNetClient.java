package io.vmsup.qmp.impl;

import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * The one {@link NetClient} of every QMP connection of a Vert.x instance. A client per connection cost ~2 KiB of heap
 * that Vert.x kept until the caller's verticle was undeployed (the verticle's close hooks hold every client created
 * on its context, closed or not): each connect attempt and reconnect of a VM leaked one. Each socket still belongs to
 * the context that connects it; the client lives as long as the Vert.x instance.
 */
final class QmpNetClient {

  private QmpNetClient() {
  }

  static NetClient of(ContextInternal caller) {
    VertxInternal vertx = caller.owner();
    return vertx.createSharedResource("__vmsup.qmp", "net-client", vertx.closeFuture(), closeFuture -> {
      NetClient[] client = new NetClient[1];
      // created on a context of no verticle, so no verticle's undeployment closes the shared client
      vertx.createEventLoopContext().dispatch(v -> client[0] = vertx.createNetClient(new NetClientOptions()));
      return client[0];
    });
  }
}

package io.vmsup.qmp;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vmsup.qmp.testing.Await;
import java.nio.file.Path;

/**
 * Run in a JVM of its own with {@code -Xlog:class+load}: starts Vert.x as the daemon does (native transport, an HTTP
 * server already listening), preloads the QMP connect's classes when asked ({@code preload}), then makes one QMP
 * connection to {@code socket} served by {@code pid} (the peer checked, as the daemon does) and sends
 * {@code query-status}. The classes loaded between {@link Before} and {@link After} are what the connect still loaded
 * on an event loop.
 */
public final class ConnectClassesProbe {

  private ConnectClassesProbe() {
  }

  /** Loaded right before the connect: a marker in the class-load log. */
  static final class Before {
  }

  /** Loaded right after the connect's reply: a marker in the class-load log. */
  static final class After {
  }

  public static void main(String[] args) throws Exception {
    Path socket = Path.of(args[0]);
    long pid = Long.parseLong(args[1]);
    boolean preload = args.length > 2 && args[2].equals("preload");
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      Await.result(vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1"));
      if (preload) {
        Await.result(vertx.executeBlocking(() -> {
          QmpClient.preloadClasses();
          return null;
        }));
      }
      new Before();
      QmpClient client = Await.result(vertx.getOrCreateContext().<QmpClient>executeBlocking(() -> null)
          .compose(x -> QmpClient.connect(vertx, socket, QmpOptions.defaults().withPeerCheck(
              QmpPeerCheck.process(pid)))));
      Await.result(client.execute(QmpCommands.queryStatus()));
      new After();
      Await.result(client.close());
    } finally {
      Await.result(vertx.close());
    }
  }
}

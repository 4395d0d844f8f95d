package io.vmsup.supervisor.link;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.nio.file.Path;

/** Opens QMP connections. Fails with {@link NotListening} while QEMU has not created its socket yet. */
public interface QmpConnector {

  /** The connector the supervisor uses; {@code timeout} bounds connect and negotiation. */
  static QmpConnector create(Vertx vertx, Duration timeout) {
    return new io.vmsup.supervisor.link.impl.MiniQmpConnector(vertx, timeout);
  }

  /** Connects and negotiates on the caller's context. */
  Future<QmpLink> connect(Path socket);

  /** The socket does not exist yet or refuses connections: worth retrying while QEMU starts. */
  final class NotListening extends io.vertx.core.VertxException {
    public NotListening(String message) {
      super(message, true);
    }
  }
}

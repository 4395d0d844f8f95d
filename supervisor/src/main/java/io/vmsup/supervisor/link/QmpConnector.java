package io.vmsup.supervisor.link;

import io.vertx.core.Future;
import java.nio.file.Path;

/** Opens QMP connections. Fails with {@link NotListening} while QEMU has not created its socket yet. */
public interface QmpConnector {

  /** Connects and negotiates on the caller's context. */
  Future<QmpLink> connect(Path socket);

  /** The socket does not exist yet or refuses connections: worth retrying while QEMU starts. */
  final class NotListening extends io.vertx.core.VertxException {
    public NotListening(String message) {
      super(message, true);
    }
  }
}

package io.vmsup.supervisor.link;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vmsup.qmp.QmpObserver;
import io.vmsup.qmp.QmpPeerCheck;
import io.vmsup.supervisor.link.impl.ClientQmpConnector;
import java.time.Duration;
import java.util.function.Function;
import java.nio.file.Path;

/** Opens QMP connections. Fails with {@link NotListening} while QEMU has not created its socket yet. */
public interface QmpConnector {

  /**
   * The connector the supervisor uses; {@code timeout} bounds connect and negotiation, {@code observers} gives
   * each VM's connection its observer (metrics).
   */
  static QmpConnector create(Vertx vertx, Duration timeout, Function<String, QmpObserver> observers) {
    return new ClientQmpConnector(vertx, timeout, observers);
  }

  /**
   * Connects and negotiates on the caller's context; {@code vm} names the VM for its observer. The socket must be
   * served by the process {@code peer} names ({@code SO_PEERCRED}, checked before a byte is read), else the
   * connection fails with {@link WrongPeer}.
   */
  Future<QmpLink> connect(Path socket, String vm, QmpPeerCheck peer);

  /**
   * No usable QMP connection yet (no socket, refused, no or a garbled greeting): worth retrying while the process
   * lives and the start timeout allows.
   */
  final class NotListening extends io.vertx.core.VertxException {
    public NotListening(String message) {
      super(message, true);
    }
  }

  /**
   * The socket is served by another process than the expected QEMU (the path was replaced by a link to another
   * socket, another VM's monitor say), or the peer's credentials cannot be read; nothing was read from it. Never
   * retried: QEMU's own monitor is no longer reachable at that path.
   */
  final class WrongPeer extends io.vertx.core.VertxException {
    public WrongPeer(String message) {
      super(message, true);
    }
  }
}

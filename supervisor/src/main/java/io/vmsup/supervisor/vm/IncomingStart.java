package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vmsup.qmp.MigrationStatus;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpFd;
import io.vmsup.qmp.QmpMigrationCommands;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.link.QmpLink;
import java.time.Duration;
import java.util.Map;

/**
 * The start flow's incoming-migration step for a spec whose {@code incoming} is {@code file:/PATH}: QEMU waits
 * ({@code -incoming defer}, {@code -S}); the daemon opened the file before the spawn, turns on migration events,
 * passes the descriptor ({@code getfd} as {@link #FD_NAME}), runs {@code migrate-incoming} with {@code fd:NAME} and
 * waits for the {@code MIGRATION} event that ends it. A failed load ends QEMU itself (QEMU 7.2 exits when an
 * incoming migration fails), which fails the start with QEMU's log.
 */
final class IncomingStart {

  /** The name the file's descriptor is passed under (a name must not start with a digit). */
  static final String FD_NAME = "incoming.fd0";

  private IncomingStart() {
  }

  /**
   * Runs the migration from {@code fd}; the actor's {@code events} keep receiving every event meanwhile.
   *
   * @return succeeds once the migration completed; fails INTERNAL when it failed, was cancelled, the connection
   *     closed (QEMU exited) or it did not end within the start timeout
   */
  static Future<Void> run(VmCore vm, QmpLink link, Handler<QmpEvent> events, QmpFd fd, String file) {
    Duration timeout = vm.options().commandTimeout();
    Promise<MigrationStatus> end = Promise.promise();
    link.onEvent(e -> {
      if ("MIGRATION".equals(e.name())) {
        MigrationStatus s = MigrationStatus.fromWire(e.data().getString("status"));
        if (s.isFinal()) {
          end.tryComplete(s);
        }
      }
      events.handle(e);
    });
    link.closed().onComplete(x -> end.tryFail(new VmException(ErrorCode.INTERNAL,
        "QEMU ended during the incoming migration from " + file)));
    long limit = vm.options().startTimeout().toMillis();
    long timer = vm.vertx().setTimer(limit, id -> end.tryFail(new VmException(ErrorCode.INTERNAL,
        "the incoming migration from " + file + " did not end within " + limit + " ms")));
    return link.execute(QmpMigrationCommands.migrateSetCapabilities(Map.of("events", true)), timeout)
        .compose(v -> link.passFd(FD_NAME, fd))
        .compose(v -> link.execute(QmpMigrationCommands.migrateIncoming("fd:" + FD_NAME), timeout))
        .compose(v -> end.future())
        .compose(s -> s == MigrationStatus.COMPLETED ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture(new VmException(ErrorCode.INTERNAL, "the incoming migration from " + file
                + " ended " + s.wire())))
        .onComplete(ar -> {
          vm.vertx().cancelTimer(timer);
          link.onEvent(events);
        });
  }
}

package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vmsup.config.PciLayout;
import io.vmsup.config.VmSpec;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.qmp.QmpEvent;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpFd;
import io.vmsup.supervisor.launch.HandOver;
import io.vmsup.supervisor.link.QmpLink;

/**
 * The start flow's hand-over step: a QEMU whose launch form left NICs or an incoming file to the daemon (it started
 * with {@code -S}) gets the NICs' descriptors and devices ({@link HandOver#plugAll}), then the migration from the
 * file ({@link IncomingStart}), then {@code cont} unless the spec starts paused.
 */
final class HandOverStart {

  private HandOverStart() {
  }

  static boolean needed(VmSpec spec) {
    return !HandOver.nics(spec).isEmpty() || spec.incomingFile().isPresent();
  }

  /**
   * Plugs the handed-over NICs, then runs the incoming migration from the prepared file, then {@code cont} unless
   * the spec starts paused ({@code events}: the actor's event handler, kept while the migration's end is awaited).
   *
   * @return the commands run, empty when the spec hands nothing over
   */
  static Future<JsonArray> run(VmCore vm, QmpLink link, HandOver.Prepared prepared, Handler<QmpEvent> events) {
    VmSpec spec = vm.definition().spec();
    if (!needed(spec)) {
      return Future.succeededFuture(new JsonArray());
    }
    Future<JsonArray> nics = HandOver.plugAll(vm.vertx(), qmp(vm, link), spec,
        vm.definition().layout().orElse(PciLayout.empty()), prepared);
    Future<JsonArray> incoming = nics.compose(done -> spec.incomingFile().isEmpty() ? Future.succeededFuture(done)
        : IncomingStart.run(vm, link, events, prepared.incoming().orElseThrow(), spec.incomingFile().get())
            .map(v -> done.add("getfd " + IncomingStart.FD_NAME).add("migrate-incoming")));
    return incoming.compose(done -> spec.supervision().startPaused() ? Future.succeededFuture(done)
        : link.execute(QmpCommands.cont(), vm.options().commandTimeout()).map(r -> done.add("cont")));
  }

  static HandOver.Qmp qmp(VmCore vm, QmpLink link) {
    return new HandOver.Qmp() {
      @Override
      public Future<Void> passFd(String name, QmpFd fd) {
        return link.passFd(name, fd);
      }

      @Override
      public <T> Future<T> execute(QmpCommand<T> command) {
        return link.execute(command, vm.options().commandTimeout());
      }
    };
  }
}

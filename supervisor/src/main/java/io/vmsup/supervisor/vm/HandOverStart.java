package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PciLayout;
import io.vmsup.config.VmSpec;
import io.vmsup.qmp.QmpFd;
import io.vmsup.supervisor.launch.HandOver;
import io.vmsup.supervisor.link.QmpLink;

/**
 * The start flow's hand-over step: a QEMU whose launch form left NICs to the daemon (it started with {@code -S})
 * gets their descriptors and devices ({@link HandOver#plugAll}), then {@code cont} unless the spec starts paused.
 */
final class HandOverStart {

  private HandOverStart() {
  }

  static boolean needed(VmSpec spec) {
    return !HandOver.nics(spec).isEmpty();
  }

  /** @return the commands run, empty when the spec hands nothing over */
  static Future<JsonArray> run(VmCore vm, QmpLink link, HandOver.Prepared prepared) {
    VmSpec spec = vm.definition().spec();
    if (!needed(spec)) {
      return Future.succeededFuture(new JsonArray());
    }
    return HandOver.plugAll(vm.vertx(), qmp(vm, link), spec, vm.definition().layout().orElse(PciLayout.empty()), prepared)
        .compose(done -> spec.supervision().startPaused() ? Future.succeededFuture(done)
            : link.execute("cont", new JsonObject(), vm.options().commandTimeout()).map(r -> done.add("cont")));
  }

  static HandOver.Qmp qmp(VmCore vm, QmpLink link) {
    return new HandOver.Qmp() {
      @Override
      public Future<Void> passFd(String name, QmpFd fd) {
        return link.passFd(name, fd);
      }

      @Override
      public Future<Object> execute(String command, JsonObject arguments) {
        return link.execute(command, arguments, vm.options().commandTimeout());
      }
    };
  }
}

package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpDeviceCommands;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.hotplug.HotplugHost;
import java.time.Duration;

/**
 * {@code device_del} that completes on {@code DEVICE_DELETED}, not on its reply: the reply only says the unplug
 * request was made (qmp-spec; a PCIe unplug waits for the guest, Linux's pciehp alone takes ~5 s).
 */
final class Unplug {

  private Unplug() {
  }

  /** @param children also accept {@code DEVICE_DELETED} of a device below {@code id} (see {@link DeletedWaiters}) */
  static Future<Void> deviceDel(HotplugHost host, DeletedWaiters deleted, String id, boolean children,
      Duration timeout) {
    Future<Boolean> gone = deleted.register(id, children, timeout);
    return host.execute(QmpDeviceCommands.deviceDel(id))
        .transform(ar -> {
          if (ar.succeeded()) {
            return gone;
          }
          deleted.cancel(id);
          VmException e = VmException.wrap(ar.cause());
          // a retry after the guest released the device late: it is gone already, go on with its backends
          if ("DeviceNotFound".equals(e.details().getString("qmpClass"))) {
            return Future.succeededFuture(true);
          }
          return Future.failedFuture(e);
        })
        .compose(ok -> ok ? Future.succeededFuture() : Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE,
            "device_del of '" + id + "' on VM '" + host.name() + "' was not confirmed by DEVICE_DELETED within "
                + timeout.toMillis() + " ms: the guest has not released it; it stays in the spec, detach again to "
                + "retry", new JsonObject().put("id", id).put("pending", true))));
  }
}

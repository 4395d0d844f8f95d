package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.hotplug.HotplugHost;
import io.vmsup.supervisor.spec.VmDefinition;

/**
 * Commits a new spec only if the VM is still live (or still without a process) as when the operation began: a
 * spec-only edit must not land on a VM that started meanwhile with the old spec, nor a live one after QEMU died.
 */
final class Commit {

  private Commit() {
  }

  static boolean live(VmState s) {
    return s == VmState.RUNNING || s == VmState.PAUSED;
  }

  static Future<Void> guarded(HotplugHost host, boolean live, VmDefinition def) {
    VmState now = host.state();
    if (live(now) != live || (!live && now.hasProcess())) {
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + host.name() + "' changed to "
          + now.json() + " during the operation; the spec is unchanged, retry",
          new JsonObject().put("state", now.json())));
    }
    // a definition made from an edited spec carries no layout: the VM's own stays unless the edit set a new one
    return host.commit(def.layout().isPresent() || host.layout().isEmpty() ? def : def.withLayout(host.layout().get()));
  }
}

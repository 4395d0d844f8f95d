package io.vmsup.supervisor.impl;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.CreateAndStart;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmHandle;

/** The {@link CreateAndStart} header of a create, read strictly, and the truth told when the start fails. */
final class StartOnCreate {

  private StartOnCreate() {
  }

  /** Whether the create asks for a start too; INVALID for a value other than true/false. */
  static boolean requested(Message<?> m) {
    String given = m.headers().get(CreateAndStart.HEADER);
    if (given == null || given.equals("false")) {
      return false;
    }
    if (given.equals("true")) {
      return true;
    }
    String path = "headers." + CreateAndStart.HEADER;
    throw VmException.invalid(path + " must be true or false", new JsonArray()
        .add(new JsonObject().put("path", path).put("message", "must be true or false, not '" + clip(given) + "'")));
  }

  /**
   * The start's failure, restated: the VM was created (it exists, with its view), the start failed with its own code
   * and details (state, exit code, log tail).
   */
  static VmException startFailed(String name, Throwable t, VmHandle view) {
    VmException e = VmException.wrap(t);
    JsonObject details = e.details().copy().put("created", true);
    if (view != null) {
      details.put("vm", view.toJson());
    }
    return new VmException(e.code(), "VM '" + name + "' was created, but its start failed: " + e.getMessage(),
        details);
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}

package io.vmsup.supervisor.vm;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;

/**
 * Replies that tell what happened when a state write failed: the command's effect on the VM (with its state as the
 * daemon sees it now), then what could not be written and why (NOT_PERSISTED, 507).
 */
final class PersistReplies {

  private PersistReplies() {
  }

  static boolean notPersisted(Throwable t) {
    return t instanceof VmException v && v.code() == ErrorCode.NOT_PERSISTED;
  }

  /**
   * A NOT_PERSISTED failure restated with what the command did ({@code done}: "stopped", "was killed"); any other
   * failure unchanged.
   */
  static Throwable outcome(VmCore vm, Throwable t, String done) {
    if (!notPersisted(t)) {
      return t;
    }
    VmException v = (VmException) t;
    JsonObject details = v.details().put("state", vm.state().json()).put("reason", vm.reason().json())
        .put("desired", vm.record().desired().name()).put("vm", vm.view());
    return new VmException(ErrorCode.NOT_PERSISTED, "VM '" + vm.name() + "' " + done + " (state "
        + vm.state().json() + "), but " + v.getMessage(), details);
  }

  /**
   * The failure of a start. A start whose desired state or runtime record could not be stored is NOT_PERSISTED:
   * QEMU was not spawned, or was killed again, since a QEMU the next daemon cannot prove its own (or would not
   * know the operator wanted) must not run.
   */
  static VmException startFailure(VmCore vm, boolean spawned, Throwable cause, JsonObject details) {
    if (!notPersisted(cause)) {
      // a spec the host no longer allows (a path root) is the caller's to fix: INVALID with its violations; a host
      // socket another VM or process holds (a user NIC's forward): CONFLICT naming it
      ErrorCode code = cause instanceof VmException c && (c.code() == ErrorCode.INVALID
          || c.code() == ErrorCode.CONFLICT) ? c.code() : ErrorCode.INTERNAL;
      if (code != ErrorCode.INTERNAL) {
        details.mergeIn(((VmException) cause).details());
      }
      return new VmException(code,
          "VM '" + vm.name() + "' failed to start: " + cause.getMessage(), details);
    }
    VmException v = (VmException) cause;
    JsonObject all = v.details().mergeIn(details);
    String what = spawned ? "QEMU was started and killed again" : "no QEMU was spawned";
    return new VmException(ErrorCode.NOT_PERSISTED, "VM '" + vm.name() + "' was not started (state "
        + vm.state().json() + "; " + what + "): " + v.getMessage(), all);
  }
}

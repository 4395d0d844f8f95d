package io.vmsup.supervisor.hotplug.impl;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.QmpStep;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.hotplug.HotplugHost;
import io.vmsup.supervisor.launch.QmpSteps;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** Runs QMP steps in order; on a failure it runs the undo steps of those applied, newest first. */
final class Steps {

  private static final Logger LOG = Logger.getLogger(Steps.class.getName());

  private Steps() {
  }

  /**
   * Runs {@code steps}; on the failure of step i runs {@code undo.get(i-1)..undo.get(0)} and fails with the QMP
   * error plus {@code "step"} (the failed command) and {@code "rolledBack"} (the undo commands that succeeded) and
   * {@code "rollbackFailed"} (those that did not).
   */
  static Future<List<String>> runWithRollback(HotplugHost host, List<QmpStep> steps, List<QmpStep> undo) {
    List<String> done = new ArrayList<>();
    return QmpSteps.inOrder(host::execute, steps, done).map(v -> done).recover(t -> {
      List<QmpStep> reverse = new ArrayList<>(undo.subList(0, done.size()));
      java.util.Collections.reverse(reverse);
      JsonArray rolledBack = new JsonArray();
      JsonArray rollbackFailed = new JsonArray();
      return rollback(host, reverse, 0, rolledBack, rollbackFailed).transform(v -> {
        VmException e = VmException.wrap(t);
        JsonObject details = e.details().put("step", steps.get(done.size()).command())
            .put("rolledBack", rolledBack).put("rollbackFailed", rollbackFailed);
        String msg = steps.get(done.size()).command() + " failed: " + e.getMessage();
        return Future.failedFuture(new VmException(e.code() == ErrorCode.UNAVAILABLE ? e.code() : ErrorCode.INTERNAL,
            msg, details));
      });
    });
  }

  private static Future<Void> rollback(HotplugHost host, List<QmpStep> undo, int i, JsonArray ok, JsonArray failed) {
    if (i == undo.size()) {
      return Future.succeededFuture();
    }
    QmpStep s = undo.get(i);
    return host.execute(QmpSteps.command(s)).transform(ar -> {
      if (ar.succeeded()) {
        ok.add(s.command());
      } else {
        LOG.warning(host.name() + ": rollback " + s.command() + " " + s.arguments() + " failed: "
            + ar.cause().getMessage());
        failed.add(s.command());
      }
      return rollback(host, undo, i + 1, ok, failed);
    });
  }
}

package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.VmException;
import java.time.Duration;

/**
 * The actor's answer to {@code vmsup.vm.query}: a read-only QMP query ({@code query-*}, no arguments) on the VM's own
 * connection, for the daemon's own readers (the metrics collector), which hold no QMP client of their own.
 */
final class QmpQueries {

  private QmpQueries() {
  }

  static Future<JsonObject> query(VmCore vm, JsonObject body) {
    if (!(body.getValue("execute") instanceof String execute) || !execute.startsWith("query-")) {
      return Future.failedFuture(VmException.invalid("'execute' must name a query-* command", new JsonArray()
          .add(new JsonObject().put("path", "execute").put("message", "must start with query-"))));
    }
    Duration limit = vm.options().commandTimeout();
    Duration timeout = body.getValue("timeoutMs") instanceof Number n && n.longValue() > 0
        && n.longValue() < limit.toMillis() ? Duration.ofMillis(n.longValue()) : limit;
    return vm.qmp(execute, new JsonObject(), timeout).map(r -> new JsonObject().put("return", r));
  }
}

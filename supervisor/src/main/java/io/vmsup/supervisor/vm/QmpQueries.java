package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.api.VmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The actor's answer to {@code vmsup.vm.query}: read-only QMP queries ({@code query-*}, no arguments) on the VM's own
 * connection, for the daemon's own readers (the metrics collector), which hold no QMP client of their own. One
 * query ({@code "execute": "query-x"}, answered {@code {"return": ...}}) or several in one request ({@code "execute":
 * ["query-x", ...]}, answered {@code {"returns": [{"return": ...} or {"error": {"message": ...}}, ...]}} in order, each
 * query failing alone): a metric sample is one bus round trip, not one per query. The bus carries command names and
 * {@code return} values: each query runs as one raw typed command ({@link QmpCommand#raw}), and the reader decodes
 * the value with its own typed command's decoder.
 */
final class QmpQueries {

  private QmpQueries() {
  }

  static Future<JsonObject> query(VmCore vm, JsonObject body) {
    Duration limit = vm.options().commandTimeout();
    Duration timeout = body.getValue("timeoutMs") instanceof Number n && n.longValue() > 0
        && n.longValue() < limit.toMillis() ? Duration.ofMillis(n.longValue()) : limit;
    if (body.getValue("execute") instanceof JsonArray all) {
      return batch(vm, all, timeout);
    }
    if (!(body.getValue("execute") instanceof String execute) || !execute.startsWith("query-")) {
      return Future.failedFuture(invalid("execute"));
    }
    return vm.qmp(QmpCommand.raw(execute, null), timeout).map(r -> new JsonObject().put("return", r));
  }

  private static Future<JsonObject> batch(VmCore vm, JsonArray all, Duration timeout) {
    if (all.isEmpty()) {
      return Future.failedFuture(invalid("execute"));
    }
    for (int i = 0; i < all.size(); i++) {
      if (!(all.getValue(i) instanceof String s) || !s.startsWith("query-")) {
        return Future.failedFuture(invalid("execute[" + i + "]"));
      }
    }
    List<Future<Object>> each = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      each.add(vm.qmp(QmpCommand.raw(all.getString(i), null), timeout));
    }
    return Future.join(each).transform(ar -> {
      JsonArray returns = new JsonArray();
      for (Future<Object> f : each) {
        returns.add(f.succeeded() ? new JsonObject().put("return", f.result())
            : new JsonObject().put("error", new JsonObject().put("message", String.valueOf(f.cause().getMessage()))));
      }
      return Future.succeededFuture(new JsonObject().put("returns", returns));
    });
  }

  private static VmException invalid(String path) {
    return VmException.invalid("'" + path + "' must name a query-* command (or, for 'execute', a non-empty list of"
        + " them)", new JsonArray().add(new JsonObject().put("path", path).put("message", "must start with query-")));
  }
}

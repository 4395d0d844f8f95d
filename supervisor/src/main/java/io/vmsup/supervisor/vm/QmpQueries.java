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
 * The actor's answer to {@code vmsup.internal.query}: read-only QMP queries ({@code query-*}) on the VM's own
 * connection, for the daemon's own readers (the metrics collector), which hold no QMP client of their own. One query
 * ({@code "execute": "query-x", "arguments"?: {...}}, answered {@code {"return": ...}}) or several in one request
 * ({@code "execute": ["query-x" or {"execute": "query-x", "arguments": {...}}, ...]}, answered {@code {"returns":
 * [{"return": ...} or {"error": {"message": ...}}, ...]}} in order, each query failing alone): a metric sample is one
 * bus round trip, not one per query. The bus carries a typed command's name and arguments and its {@code return}
 * value: here each query runs as one raw typed command ({@link QmpCommand#raw}), and the reader decodes the value
 * with its own typed command's decoder.
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
    QmpCommand<Object> one = command(body.getValue("execute"), body.getValue("arguments"));
    if (one == null) {
      return Future.failedFuture(invalid("execute"));
    }
    return vm.qmp(one, timeout).map(r -> new JsonObject().put("return", r));
  }

  private static Future<JsonObject> batch(VmCore vm, JsonArray all, Duration timeout) {
    if (all.isEmpty()) {
      return Future.failedFuture(invalid("execute"));
    }
    List<QmpCommand<Object>> commands = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      QmpCommand<Object> c = all.getValue(i) instanceof JsonObject o
          ? command(o.getValue("execute"), o.getValue("arguments")) : command(all.getValue(i), null);
      if (c == null) {
        return Future.failedFuture(invalid("execute[" + i + "]"));
      }
      commands.add(c);
    }
    List<Future<Object>> each = commands.stream().map(c -> vm.qmp(c, timeout)).toList();
    return Future.join(each).transform(ar -> {
      JsonArray returns = new JsonArray();
      for (Future<Object> f : each) {
        returns.add(f.succeeded() ? new JsonObject().put("return", f.result())
            : new JsonObject().put("error", new JsonObject().put("message", String.valueOf(f.cause().getMessage()))));
      }
      return Future.succeededFuture(new JsonObject().put("returns", returns));
    });
  }

  /** A {@code query-*} name with an object or no arguments; null for anything else. */
  private static QmpCommand<Object> command(Object name, Object arguments) {
    if (!(name instanceof String s) || !s.startsWith("query-")
        || arguments != null && !(arguments instanceof JsonObject)) {
      return null;
    }
    return QmpCommand.raw(s, (JsonObject) arguments);
  }

  private static VmException invalid(String path) {
    return VmException.invalid("'" + path + "' must name a query-* command, with an object or no 'arguments' (or,"
        + " for 'execute', be a non-empty list of them)", new JsonArray().add(new JsonObject().put("path", path)
        .put("message", "must start with query-")));
  }
}

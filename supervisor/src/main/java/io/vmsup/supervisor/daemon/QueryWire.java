package io.vmsup.supervisor.daemon;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bus form of the metrics collector's typed queries ({@code vmsup.internal.query}, answered by the VM's actor):
 * a command goes out as its name and arguments, its {@code return} value comes back as JSON and is decoded here, once,
 * by the command's own decoder. A reply the decoder cannot read fails that query alone.
 */
final class QueryWire {

  private QueryWire() {
  }

  /** {@code {"execute","arguments"?}} of one query. */
  static JsonObject one(QmpCommand<?> command) {
    JsonObject out = new JsonObject().put("execute", command.name());
    return command.arguments() == null ? out : out.put("arguments", command.arguments().copy());
  }

  /** The {@code "execute"} list of a batch, in order. */
  static JsonArray batch(List<QmpCommand<?>> commands) {
    JsonArray out = new JsonArray();
    commands.forEach(c -> out.add(one(c)));
    return out;
  }

  /** Each command's result from the actor's {@code "returns"}, in order. */
  static List<AsyncResult<?>> results(List<QmpCommand<?>> commands, JsonArray returns) {
    List<AsyncResult<?>> out = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      JsonObject one = returns.getJsonObject(i);
      out.add(one.containsKey("error") ? Future.failedFuture(new VmException(ErrorCode.UNAVAILABLE,
          one.getJsonObject("error").getString("message"))) : decode(commands.get(i), one.getValue("return")));
    }
    return out;
  }

  /** The command's result from its {@code return} value. */
  static <T> Future<T> decode(QmpCommand<T> command, Object value) {
    try {
      return Future.succeededFuture(command.decoder().apply(value));
    } catch (RuntimeException e) {
      return Future.failedFuture(new VmException(ErrorCode.INTERNAL, "QEMU's reply to '" + command.name()
          + "' could not be read: " + e.getMessage()));
    }
  }
}

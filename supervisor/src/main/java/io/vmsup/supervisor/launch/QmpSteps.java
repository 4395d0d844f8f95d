package io.vmsup.supervisor.launch;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.QmpStep;
import io.vmsup.qmp.QmpBlockCommands;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.qmp.QmpCommands;
import io.vmsup.qmp.QmpDeviceCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * config-model's QMP steps (a {@link io.vmsup.config.HotplugPlan}'s commands and their undo) as qmp-client's typed
 * commands, so a hot-plug and a hand-over run through {@code QmpLink.execute} like every other command. A step's
 * arguments are the ones the command line renders; each typed command carries them unchanged.
 */
public final class QmpSteps {

  private QmpSteps() {
  }

  /**
   * The typed command of {@code step}.
   *
   * @throws IllegalArgumentException for a command no hot-plug plan makes
   */
  public static QmpCommand<?> command(QmpStep step) {
    JsonObject args = new JsonObject(new LinkedHashMap<>(step.arguments()));
    return switch (step.command()) {
      case "device_add" -> QmpDeviceCommands.deviceAdd(take(args, "driver"), take(args, "id"), args);
      case "device_del" -> QmpDeviceCommands.deviceDel(args.getString("id"));
      case "netdev_add" -> QmpDeviceCommands.netdevAdd(take(args, "type"), take(args, "id"), args);
      case "netdev_del" -> QmpDeviceCommands.netdevDel(args.getString("id"));
      case "object-add" -> QmpCommands.objectAdd(take(args, "qom-type"), take(args, "id"), args);
      case "object-del" -> QmpCommands.objectDel(args.getString("id"));
      case "blockdev-add" -> QmpBlockCommands.blockdevAdd(args);
      case "blockdev-del" -> QmpBlockCommands.blockdevDel(args.getString("node-name"));
      case "chardev-add" -> QmpCommands.chardevAdd(args.getString("id"), args.getJsonObject("backend"));
      case "chardev-remove" -> QmpCommands.chardevRemove(args.getString("id"));
      default -> throw new IllegalArgumentException("'" + step.command() + "' is not a hot-plug step");
    };
  }

  /**
   * Runs {@code steps} in order through {@code execute}, each after the previous one succeeded; {@code done} gets
   * each succeeded step's command name. Fails with the first failure.
   */
  public static Future<Void> inOrder(Function<QmpCommand<?>, Future<?>> execute, List<QmpStep> steps,
      List<String> done) {
    Future<Void> chain = Future.succeededFuture();
    for (QmpStep s : steps) {
      chain = chain.compose(v -> execute.apply(command(s)).map(r -> {
        done.add(s.command());
        return (Void) null;
      }));
    }
    return chain;
  }

  private static String take(JsonObject args, String key) {
    Object v = args.remove(key);
    return v == null ? null : v.toString();
  }
}

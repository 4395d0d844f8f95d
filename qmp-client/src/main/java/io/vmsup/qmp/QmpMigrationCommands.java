package io.vmsup.qmp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.Decoders;
import java.util.Map;

/** Migration commands. Progress and the end show in {@code query-migrate} and the {@code MIGRATION} event. */
public final class QmpMigrationCommands {

  private QmpMigrationCommands() {
  }

  /** {@code migrate} to {@code uri} (for example {@code unix:/path}, {@code tcp:host:port}, {@code fd:NAME}). */
  public static QmpCommand<Void> migrate(String uri) {
    return QmpCommand.noResult("migrate", new JsonObject().put("uri", uri));
  }

  /** {@code migrate-incoming} on a QEMU started with {@code -incoming defer}. */
  public static QmpCommand<Void> migrateIncoming(String uri) {
    return QmpCommand.noResult("migrate-incoming", new JsonObject().put("uri", uri));
  }

  public static QmpCommand<Void> migrateCancel() {
    return QmpCommand.noResult("migrate_cancel", null);
  }

  /** {@code migrate-set-capabilities}, for example {@code {"events": true, "postcopy-ram": false}}. */
  public static QmpCommand<Void> migrateSetCapabilities(Map<String, Boolean> capabilities) {
    JsonArray list = new JsonArray();
    capabilities.forEach((name, state) -> list.add(new JsonObject().put("capability", name).put("state", state)));
    return QmpCommand.noResult("migrate-set-capabilities", new JsonObject().put("capabilities", list));
  }

  /** {@code migrate-set-parameters}, for example {@code {"max-bandwidth": 1073741824}}. */
  public static QmpCommand<Void> migrateSetParameters(JsonObject parameters) {
    return QmpCommand.noResult("migrate-set-parameters", parameters);
  }

  public static QmpCommand<MigrationInfo> queryMigrate() {
    return QmpCommand.of("query-migrate", null, Decoders::migration);
  }
}

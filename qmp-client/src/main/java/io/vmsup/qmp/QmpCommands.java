package io.vmsup.qmp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.Decoders;
import java.util.List;

/**
 * Typed commands for VM lifecycle, queries, QOM and the human monitor. Devices, block, memory/CPU hotplug,
 * migration and fd passing live in {@link QmpDeviceCommands}, {@link QmpBlockCommands},
 * {@link QmpMigrationCommands} and {@link QmpFdCommands}; event-completed and multi-step operations in
 * {@link QmpOperations}.
 */
public final class QmpCommands {

  // the daemon's most frequent command (samples, state reads): immutable without arguments, so made once
  private static final QmpCommand<StatusInfo> QUERY_STATUS = QmpCommand.of("query-status", null, Decoders::status);

  private QmpCommands() {
  }

  /** {@code qmp_capabilities}; the client negotiates by itself, this is for completeness. */
  public static QmpCommand<Void> qmpCapabilities(List<String> enable) {
    return QmpCommand.noResult("qmp_capabilities",
        enable.isEmpty() ? null : new JsonObject().put("enable", new JsonArray(List.copyOf(enable))));
  }

  /** {@code stop}: pause vCPUs (event {@code STOP}). */
  public static QmpCommand<Void> stop() {
    return QmpCommand.noResult("stop", null);
  }

  /** {@code cont}: resume vCPUs (event {@code RESUME}). */
  public static QmpCommand<Void> cont() {
    return QmpCommand.noResult("cont", null);
  }

  /** {@code system_powerdown}: press the ACPI power button (event {@code POWERDOWN}); the guest may ignore it. */
  public static QmpCommand<Void> systemPowerdown() {
    return QmpCommand.noResult("system_powerdown", null);
  }

  /** {@code system_reset}: hard reset (event {@code RESET}). */
  public static QmpCommand<Void> systemReset() {
    return QmpCommand.noResult("system_reset", null);
  }

  /** {@code quit}: QEMU exits; end-of-file after it counts as success. */
  public static QmpCommand<Void> quit() {
    return QmpCommand.noResult("quit", null);
  }

  public static QmpCommand<StatusInfo> queryStatus() {
    return QUERY_STATUS;
  }

  public static QmpCommand<QemuVersion> queryVersion() {
    return QmpCommand.of("query-version", null, Decoders::version);
  }

  /** {@code query-commands}: the names of the commands the server knows. */
  public static QmpCommand<List<String>> queryCommands() {
    return QmpCommand.of("query-commands", null, Decoders::commandNames);
  }

  /** {@code query-qmp-schema}: the whole introspection schema (hundreds of KiB). */
  public static QmpCommand<JsonArray> queryQmpSchema() {
    return QmpCommand.of("query-qmp-schema", null, Decoders::array);
  }

  /** {@code query-pci}: PCI buses and devices, as sent. */
  public static QmpCommand<JsonArray> queryPci() {
    return QmpCommand.of("query-pci", null, Decoders::array);
  }

  /** {@code qom-get}: a QOM property's value (any JSON type). */
  public static QmpCommand<Object> qomGet(String path, String property) {
    return QmpCommand.raw("qom-get", new JsonObject().put("path", path).put("property", property));
  }

  public static QmpCommand<Void> qomSet(String path, String property, Object value) {
    return QmpCommand.noResult("qom-set",
        new JsonObject().put("path", path).put("property", property).put("value", value));
  }

  /** {@code qom-list}: the properties of a QOM object ({@code name}, {@code type} per entry). */
  public static QmpCommand<JsonArray> qomList(String path) {
    return QmpCommand.of("qom-list", new JsonObject().put("path", path), Decoders::array);
  }

  /** {@code object-add}: {@code qomType} and {@code id} plus the object's own properties. */
  public static QmpCommand<Void> objectAdd(String qomType, String id, JsonObject props) {
    JsonObject args = props == null ? new JsonObject() : props.copy();
    return QmpCommand.noResult("object-add", args.put("qom-type", qomType).put("id", id));
  }

  public static QmpCommand<Void> objectDel(String id) {
    return QmpCommand.noResult("object-del", new JsonObject().put("id", id));
  }

  /** {@code chardev-add} with a backend such as {@code {"type": "socket", "data": {...}}}; returns as sent. */
  public static QmpCommand<JsonObject> chardevAdd(String id, JsonObject backend) {
    return QmpCommand.of("chardev-add", new JsonObject().put("id", id).put("backend", backend), Decoders::object);
  }

  public static QmpCommand<Void> chardevRemove(String id) {
    return QmpCommand.noResult("chardev-remove", new JsonObject().put("id", id));
  }

  /** {@code balloon}: ask the guest to shrink or grow to {@code bytes}. */
  public static QmpCommand<Void> balloon(long bytes) {
    return QmpCommand.noResult("balloon", new JsonObject().put("value", bytes));
  }

  /** {@code query-balloon}: the guest's current memory in bytes. */
  public static QmpCommand<Long> queryBalloon() {
    return QmpCommand.of("query-balloon", null, ret -> Decoders.object(ret).getLong("actual", -1L));
  }

  /** {@code screendump} of the primary console to a PPM file on the host. */
  public static QmpCommand<Void> screendump(String filename) {
    return QmpCommand.noResult("screendump", new JsonObject().put("filename", filename));
  }

  /**
   * {@code dump-guest-memory} to {@code protocol} ({@code file:/path} or {@code fd:NAME}), in the foreground.
   *
   * @param format {@code elf}, {@code kdump-zlib}, ... or {@code null} for QEMU's default (ELF)
   */
  public static QmpCommand<Void> dumpGuestMemory(String protocol, boolean paging, String format) {
    JsonObject args = new JsonObject().put("paging", paging).put("protocol", protocol);
    if (format != null) {
      args.put("format", format);
    }
    return QmpCommand.noResult("dump-guest-memory", args);
  }

  /** {@code human-monitor-command}: run an HMP command line; returns its text output. */
  public static QmpCommand<String> humanMonitorCommand(String commandLine) {
    return QmpCommand.of("human-monitor-command", new JsonObject().put("command-line", commandLine),
        ret -> ret == null ? "" : ret.toString());
  }

  /** {@code getfd}: name the descriptor sent with it; send with {@link QmpClient#executeWithFd}. */
  public static QmpCommand<Void> getfd(String fdname) {
    return QmpFdCommands.getfd(fdname);
  }
}

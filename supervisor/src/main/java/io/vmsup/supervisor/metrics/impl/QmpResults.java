package io.vmsup.supervisor.metrics.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading the few QMP query results the collector uses. */
final class QmpResults {

  private QmpResults() {
  }

  /** {@code query-version}: {@code {"qemu": {"major","minor","micro"}, "package"}} → {@code 7.2.22}. */
  static String version(JsonObject result) {
    JsonObject qemu = result.getJsonObject("qemu");
    if (qemu == null) {
      return "unknown";
    }
    return qemu.getInteger("major", 0) + "." + qemu.getInteger("minor", 0) + "." + qemu.getInteger("micro", 0);
  }

  /**
   * {@code query-blockstats}: one entry per drive, named by {@code device} (the legacy drive name) or, for
   * {@code -blockdev} drives where it is empty, by {@code qdev} or {@code node-name}.
   */
  static Map<String, BlockCounters.Sample> blockstats(Object result) {
    Map<String, BlockCounters.Sample> drives = new LinkedHashMap<>();
    if (!(result instanceof JsonArray entries)) {
      return drives;
    }
    for (Object e : entries) {
      if (!(e instanceof JsonObject entry) || entry.getJsonObject("stats") == null) {
        continue;
      }
      String drive = driveName(entry);
      if (drive == null) {
        continue;
      }
      JsonObject s = entry.getJsonObject("stats");
      drives.put(drive, new BlockCounters.Sample(num(s, "rd_bytes"), num(s, "wr_bytes"),
          num(s, "rd_operations"), num(s, "wr_operations")));
    }
    return drives;
  }

  private static String driveName(JsonObject entry) {
    for (String key : new String[] {"device", "qdev", "node-name"}) {
      String value = entry.getString(key);
      if (value != null && !value.isEmpty()) {
        // qdev paths look like /machine/peripheral/disk0/virtio-backend: keep the id
        if (value.startsWith("/machine/peripheral/")) {
          String rest = value.substring("/machine/peripheral/".length());
          int slash = rest.indexOf('/');
          return slash < 0 ? rest : rest.substring(0, slash);
        }
        return value;
      }
    }
    return null;
  }

  private static double num(JsonObject stats, String key) {
    Number n = stats.getNumber(key);
    return n == null ? 0 : n.doubleValue();
  }
}

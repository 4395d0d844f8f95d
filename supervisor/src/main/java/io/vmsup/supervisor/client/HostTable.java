package io.vmsup.supervisor.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table of {@code vmsup hosts}: one row per host of {@code GET /v1/hosts}. MEMORY is total, AVAILABLE what the
 * host's kernel has free now, COMMITTED the guest RAM of its VMs that have a QEMU, QEMU the version number alone; a
 * lost or unreachable host has only its record ({@code -} for what only it could say).
 */
final class HostTable {

  static final List<String> COLUMNS = List.of("HOST", "STATE", "CORDONED", "VMS", "CPUS", "MEMORY", "AVAILABLE",
      "COMMITTED", "QEMU", "KVM", "JOINED", "LABELS");

  private HostTable() {
  }

  static String render(JsonObject reply) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(COLUMNS);
    for (Object o : reply.getJsonArray("hosts", new JsonArray())) {
      if (o instanceof JsonObject h) {
        rows.add(row(h));
      }
    }
    return VmTable.layout(rows);
  }

  private static List<String> row(JsonObject h) {
    return List.of(VmTable.text(h.getValue("host")), VmTable.text(h.getValue("state")),
        Boolean.TRUE.equals(h.getValue("cordoned")) ? "yes" : "no", VmTable.text(h.getValue("vms")),
        VmTable.text(h.getValue("cpus")), bytes(h.getValue("memoryTotalBytes")),
        bytes(h.getValue("memoryAvailableBytes")), bytes(h.getValue("memoryCommittedBytes")),
        qemu(h.getValue("qemuVersion")), kvm(h.getValue("kvm")), VmTable.text(h.getValue("joinedAt")),
        labels(h.getValue("labels")));
  }

  /** Bytes in binary units with one decimal ({@code 15.6G}); {@code -} when the host did not say. */
  static String bytes(Object value) {
    if (!(value instanceof Number n) || n.longValue() < 0) {
      return VmTable.text(value);
    }
    double v = n.longValue();
    String[] units = {"B", "K", "M", "G", "T", "P"};
    int u = 0;
    while (u < units.length - 1 && v >= 1024) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n.longValue() + "B" : String.format(java.util.Locale.ROOT, "%.1f%s", v, units[u]);
  }

  /** The version number alone ({@code 7.2.22}); the package suffix QEMU adds is in {@code --json}. */
  private static String qemu(Object value) {
    String text = VmTable.text(value).strip();
    int space = text.indexOf(' ');
    return space > 0 ? text.substring(0, space) : text.isEmpty() ? "-" : text;
  }

  private static String kvm(Object value) {
    if (value instanceof Boolean b) {
      return b ? "yes" : "no";
    }
    return VmTable.text(value);
  }

  private static String labels(Object value) {
    if (!(value instanceof JsonObject l) || l.isEmpty()) {
      return "-";
    }
    Map<String, Object> sorted = new TreeMap<>(l.getMap());
    List<String> pairs = new ArrayList<>();
    sorted.forEach((k, v) -> pairs.add(k + "=" + v));
    return VmTable.text(String.join(",", pairs));
  }
}

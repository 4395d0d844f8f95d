package io.vmsup.supervisor.client;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of {@code vm list} and {@code vm get}: one row per VM, columns padded to their widest cell. HOST is the
 * daemon's host as the client reached it (each daemon supervises the VMs of its own host), or in a fleet the VM's
 * own {@code host}; UPTIME counts from the
 * current QEMU's start; MEMORY is the spec's memory size ({@code -} for QEMU's default).
 */
final class VmTable {

  static final List<String> COLUMNS = List.of("NAME", "STATE", "HOST", "PID", "UPTIME", "MEMORY", "RESTARTS");
  static final List<String> WIDE = List.of("REASON", "SINCE", "QEMU", "MACHINE", "CPUS");

  private VmTable() {
  }

  static String render(List<JsonObject> vms, String host, boolean wide, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(COLUMNS);
    if (wide) {
      header.addAll(WIDE);
    }
    rows.add(header);
    for (JsonObject vm : vms) {
      rows.add(row(vm, host, wide, now));
    }
    return layout(rows);
  }

  private static List<String> row(JsonObject vm, String host, boolean wide, Instant now) {
    JsonObject spec = vm.getJsonObject("spec", new JsonObject());
    Object pid = vm.getValue("pid");
    // in a fleet each VM names its own host; a single daemon's VMs are on the host the client reached
    String where = vm.getValue("host") instanceof String h ? h : host;
    List<String> cells = new ArrayList<>(List.of(text(vm.getValue("name")), text(vm.getValue("state")), where,
        text(pid), pid == null ? "-" : uptime(vm.getValue("startedAt"), now),
        memory(spec.getJsonObject("memory", new JsonObject()).getValue("size")), text(vm.getValue("restarts"))));
    if (wide) {
      JsonObject machine = spec.getJsonObject("machine", new JsonObject());
      JsonObject smp = spec.getJsonObject("smp", new JsonObject());
      cells.addAll(List.of(text(vm.getValue("reason")), text(vm.getValue("since")), text(vm.getValue("qemuVersion")),
          machine.getValue("type") == null ? "q35" : text(machine.getValue("type")),
          smp.getValue("cpus") == null ? "1" : text(smp.getValue("cpus"))));
    }
    return cells;
  }

  static String layout(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row.get(i));
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - row.get(i).length() + 2));
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  static String text(Object value) {
    if (value == null) {
      return "-";
    }
    // no control characters from the daemon into the terminal
    return value.toString().replaceAll("\\p{Cntrl}", "?");
  }

  static String uptime(Object startedAt, Instant now) {
    if (!(startedAt instanceof String s)) {
      return "-";
    }
    try {
      return duration(Duration.between(Instant.parse(s), now));
    } catch (DateTimeParseException e) {
      return "?";
    }
  }

  static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + s % 60 + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h" + s % 3600 / 60 + "m";
    }
    return s / 86400 + "d" + s % 86400 / 3600 + "h";
  }

  static String memory(Object size) {
    if (size instanceof Number n) {
      long bytes = n.longValue();
      String[] units = {"", "K", "M", "G", "T"};
      int u = 0;
      while (u < units.length - 1 && bytes >= 1024 && bytes % 1024 == 0) {
        bytes /= 1024;
        u++;
      }
      return bytes + units[u];
    }
    return text(size);
  }
}

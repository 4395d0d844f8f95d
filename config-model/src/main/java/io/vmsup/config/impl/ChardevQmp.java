package io.vmsup.config.impl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code -chardev} options → {@code chardev-add} arguments. QMP nests the backend
 * ({@code {"id": ..., "backend": {"type": "socket", "data": {"addr": {"type": "unix", "data": {"path": ...}}}}}}),
 * so the flat option keys are moved into that shape (qapi/char.json, ChardevBackend).
 */
final class ChardevQmp {

  private ChardevQmp() {
  }

  static Map<String, Object> of(QemuOpts opts) {
    Map<String, Object> flat = opts.toQmp("backend");
    String type = (String) flat.remove("backend");
    Object id = flat.remove("id");
    Map<String, Object> data = new LinkedHashMap<>();
    Object path = flat.remove("path");
    switch (type) {
      case "socket" -> {
        data.put("addr", Map.of("type", "unix", "data", Map.of("path", path)));
        // the command line defaults to a client socket, QMP to a server: say it explicitly
        data.put("server", flat.containsKey("server") ? flat.remove("server") : Boolean.FALSE);
        if (flat.containsKey("wait")) {
          data.put("wait", flat.remove("wait"));
        }
      }
      case "file" -> {
        data.put("out", path);
        if (flat.containsKey("append")) {
          data.put("append", flat.remove("append"));
        }
      }
      case "pipe", "serial" -> data.put("device", path);
      default -> {
        // pty and null carry no backend data
      }
    }
    if (flat.containsKey("logfile")) {
      data.put("logfile", flat.remove("logfile"));
    }
    if (!flat.isEmpty()) {
      throw new IllegalStateException("chardev options without a QMP mapping: " + flat.keySet());
    }
    Map<String, Object> backend = new LinkedHashMap<>();
    backend.put("type", type);
    backend.put("data", data);
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("id", id);
    args.put("backend", backend);
    return args;
  }
}

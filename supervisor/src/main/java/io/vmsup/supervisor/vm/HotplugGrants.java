package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.HostPath;
import io.vmsup.qmp.QmpCommand;
import io.vmsup.supervisor.launch.Confinement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Hot-plug under a uid per VM: the host files a hot-plug command names ({@code blockdev-add} {@code filename},
 * {@code object-add} {@code mem-path}, {@code chardev-add} file and socket paths; already confined to the path roots by
 * the hot-plug's validation) are granted to the VM's uid before QEMU opens them, and taken back when the matching
 * removal ({@code blockdev-del}, {@code object-del}, {@code chardev-remove}) succeeded. Everything else passes as is.
 */
final class HotplugGrants {

  private static final Map<String, String> ADD_ID = Map.of("blockdev-add", "node-name", "object-add", "id",
      "chardev-add", "id");
  private static final Map<String, String> DEL_ID = Map.of("blockdev-del", "node-name", "object-del", "id",
      "chardev-remove", "id");
  private static final Set<String> FILE_KEYS = Set.of("filename", "mem-path", "out", "path", "logfile");

  private HotplugGrants() {
  }

  /** Runs {@code command} through {@code exec}, granting before an add and revoking after a removal. */
  static <T> Future<T> around(VmCore vm, QmpCommand<T> typed, Supplier<Future<T>> exec) {
    String command = typed.name();
    JsonObject args = typed.arguments();
    Confinement c = vm.confinement().grants();
    if (c == null || args == null) {
      return exec.get();
    }
    if (ADD_ID.containsKey(command)) {
      String id = command + ":" + args.getString(ADD_ID.get(command), "");
      List<HostPath> paths = paths(command, args);
      if (paths.isEmpty()) {
        return exec.get();
      }
      return vm.vertx().executeBlocking(() -> {
        c.extend(id, paths);
        return null;
      }, false).compose(v -> exec.get().onFailure(t -> vm.vertx().executeBlocking(() -> {
        c.revoke(id); // QEMU refused the add: nothing of it holds the file
        return null;
      }, false)));
    }
    if (DEL_ID.containsKey(command)) {
      String add = command.equals("blockdev-del") ? "blockdev-add" : command.equals("object-del") ? "object-add"
          : "chardev-add";
      String id = add + ":" + args.getString(DEL_ID.get(command), "");
      return exec.get().onSuccess(r -> vm.vertx().executeBlocking(() -> {
        c.revoke(id);
        return null;
      }, false));
    }
    return exec.get();
  }

  /** The absolute host paths named anywhere in the arguments; read-only where the object says {@code read-only}. */
  static List<HostPath> paths(String command, JsonObject args) {
    List<HostPath> out = new ArrayList<>();
    walk(command, args, false, out);
    return out;
  }

  private static void walk(String at, Object node, boolean readOnly, List<HostPath> out) {
    if (node instanceof JsonObject o) {
      boolean ro = readOnly || Boolean.TRUE.equals(o.getValue("read-only"));
      for (String key : o.fieldNames()) {
        Object v = o.getValue(key);
        if (FILE_KEYS.contains(key) && v instanceof String s && s.startsWith("/")) {
          out.add(new HostPath(at + "." + key, s, ro ? HostPath.Access.READ : HostPath.Access.WRITE));
        } else {
          walk(at + "." + key, v, ro, out);
        }
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        walk(at + "[" + i + "]", a.getValue(i), readOnly, out);
      }
    }
  }
}

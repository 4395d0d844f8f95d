package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.launch.ProcFs;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to {@code render}: the exact argv of a VM. With a QEMU process it is that process's own command line
 * ({@code /proc/<pid>/cmdline}: what the launcher executed, unchanged since), and what the spec gained or lost
 * since over QMP (hot-plug) is listed apart, as the launch-form arguments it renders to; without one, the launch form
 * the next start executes. Blocking parts (rendering, {@code /proc}) run on a worker.
 */
final class ArgvView {

  private ArgvView() {
  }

  static Future<JsonObject> of(VmCore vm) {
    long pid = vm.run() != null && vm.state().hasProcess() ? vm.run().pid() : 0;
    var def = vm.definition();
    var paths = vm.paths();
    String state = vm.state().json();
    return vm.vertx().executeBlocking(() -> {
      List<String> next = def.render(paths);
      JsonObject out = new JsonObject().put("name", def.name()).put("state", state);
      List<String> running = pid > 0 ? ProcFs.cmdline(pid) : List.of();
      if (running.isEmpty()) {
        return out.put("source", "render").put("argv", new JsonArray(next));
      }
      return out.put("source", "process").put("pid", pid).put("argv", new JsonArray(running))
          .put("addedOverQmp", new JsonArray(minus(next, running)))
          .put("removedOverQmp", new JsonArray(minus(running, next)));
    }, false);
  }

  /** The elements of {@code a} not matched one-to-one by an element of {@code b}, in {@code a}'s order. */
  private static List<String> minus(List<String> a, List<String> b) {
    List<String> rest = new ArrayList<>(b);
    List<String> out = new ArrayList<>();
    for (String s : a) {
      if (!rest.remove(s)) {
        out.add(s);
      }
    }
    return out;
  }
}

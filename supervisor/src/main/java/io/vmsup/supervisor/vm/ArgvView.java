package io.vmsup.supervisor.vm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.Nic;
import io.vmsup.config.PciLayout;
import io.vmsup.config.QmpHotplug;
import io.vmsup.config.QmpStep;
import io.vmsup.supervisor.launch.HandOver;
import io.vmsup.supervisor.launch.ProcFs;
import io.vmsup.supervisor.spec.VmDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * The answer to {@code render}: the exact argv of a VM. With a QEMU process it is that process's own command line
 * ({@code /proc/<pid>/cmdline}: what the launcher executed, unchanged since), and what the spec gained or lost
 * since over QMP (hot-plug) is listed apart, as the launch-form arguments it renders to; without one, the launch form
 * the next start executes. NICs the daemon plugs with descriptors it opens are listed apart as {@code handedOver}
 * (with the QMP commands of the hand-over). Blocking parts (rendering, {@code /proc}) run on a worker.
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
      handedOver(def, out);
      if (running.isEmpty()) {
        return out.put("source", "render").put("argv", new JsonArray(next));
      }
      return out.put("source", "process").put("pid", pid).put("argv", new JsonArray(running))
          .put("addedOverQmp", new JsonArray(minus(next, running)))
          .put("removedOverQmp", new JsonArray(minus(running, next)));
    }, false);
  }

  /**
   * The NICs the argv leaves out because the daemon hands QEMU their descriptors after start: for each, the names
   * its descriptors are passed under ({@code getfd}) and the QMP commands that plug it; then {@code cont} unless
   * the spec starts paused.
   */
  private static void handedOver(VmDefinition def, JsonObject out) {
    List<Nic> nics = HandOver.nics(def.spec());
    def.spec().incomingFile().ifPresent(f -> out.put("incoming", new JsonObject().put("file", f)
        .put("descriptor", IncomingStart.FD_NAME).put("steps", new JsonArray().add("migrate-set-capabilities")
            .add("getfd").add("migrate-incoming fd:" + IncomingStart.FD_NAME))));
    if (def.spec().incomingFile().isPresent()) {
      out.put("afterHandOver", def.spec().supervision().startPaused() ? "stay paused" : "cont");
    }
    if (nics.isEmpty()) {
      return;
    }
    JsonArray list = new JsonArray();
    for (Nic n : nics) {
      JsonArray steps = new JsonArray();
      n.descriptorNames().forEach(fd -> steps.add(new JsonObject().put("command", "getfd")
          .put("arguments", new JsonObject().put("fdname", fd))));
      for (QmpStep st : QmpHotplug.plan(n, def.layout().orElse(PciLayout.empty())).steps()) {
        steps.add(new JsonObject().put("command", st.command())
            .put("arguments", new JsonObject(new LinkedHashMap<>(st.arguments()))));
      }
      list.add(new JsonObject().put("nic", n.id()).put("backend", n.backend().name().toLowerCase(Locale.ROOT))
          .put("interface", n.ifname().orElse(null)).put("descriptors", new JsonArray(n.descriptorNames()))
          .put("steps", steps));
    }
    out.put("handedOver", list).put("afterHandOver", def.spec().supervision().startPaused() ? "stay paused" : "cont");
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

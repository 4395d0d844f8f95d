package io.vmsup.supervisor.console.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.console.ConsoleVerticle;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.supervisor.vm.VmDeps;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The console verticle's state, confined to its context: one log tail and one input connection per VM. */
public final class ConsoleService {

  private final Vertx vertx;
  private final VmDeps deps;
  private final SerialWriters writers;
  private static final int IDLE_EVERY = 10;

  private final Map<String, LogTail> tails = new HashMap<>();
  private long tick;
  private final Set<String> atStart;

  /** VMs in the table now are followed from the end of their logs; VMs that appear later from the start. */
  public ConsoleService(Vertx vertx, VmDeps deps, NetClient client) {
    this.vertx = vertx;
    this.deps = deps;
    this.atStart = new HashSet<>(deps.table().keySet());
    this.writers = new SerialWriters(client);
  }

  private RuntimeArgs paths(String vm) {
    return RuntimeArgs.in(deps.store().vmDir(vm));
  }

  /**
   * One poll of every running VM's log (of the others every {@value #IDLE_EVERY}th time: only a last line can still
   * come); tails of VMs that are gone are dropped with their input connection.
   */
  public void pollAll() {
    tick++;
    Map<String, VmHandle> table = deps.table();
    tails.keySet().removeIf(vm -> {
      boolean gone = !table.containsKey(vm);
      if (gone) {
        writers.close(vm);
        atStart.remove(vm);
      }
      return gone;
    });
    for (VmHandle h : table.values()) {
      String vm = h.name();
      if (!h.state().hasProcess()) {
        writers.close(vm);
        if (tails.containsKey(vm) && tick % IDLE_EVERY != 0) {
          continue;
        }
      }
      tails.computeIfAbsent(vm, n -> new LogTail(vertx, paths(n).serialLog(), ConsoleVerticle.MAX_LINE,
          atStart.contains(n), lines -> publish(n, lines))).poll();
    }
  }

  private void publish(String vm, List<ConsoleLine> lines) {
    String address = Addresses.console(vm);
    for (ConsoleLine l : lines) {
      vertx.eventBus().publish(address, l.toJson().put("vm", vm));
    }
  }

  /** {@code {"vm","lines":[{"line","offset"}],"next","truncated"}}; {@code after} -1 for no lower bound. */
  public Future<JsonObject> history(String vm, int lines, long after) {
    return vertx.executeBlocking(() -> History.read(paths(vm).serialLog(), lines, after, ConsoleVerticle.MAX_LINE),
        false).map(r -> {
          JsonArray out = new JsonArray();
          r.lines().forEach(l -> out.add(l.toJson()));
          return new JsonObject().put("vm", vm).put("lines", out).put("next", r.next())
              .put("truncated", r.truncated());
        });
  }

  /** {@code {"name","bytes"}} once the bytes were handed to the socket. */
  public Future<JsonObject> write(String vm, String data) {
    Buffer bytes = Buffer.buffer(data.getBytes(StandardCharsets.UTF_8));
    return writers.write(vm, paths(vm).serialSocket(), bytes)
        .map(n -> new JsonObject().put("name", vm).put("bytes", n));
  }

  public static VmException invalid(String path, String message) {
    return VmException.invalid(path + ": " + message, new JsonArray()
        .add(new JsonObject().put("path", path).put("message", message)));
  }
}

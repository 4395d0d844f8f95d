package io.vmsup.supervisor.console;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.console.impl.ConsoleService;
import io.vmsup.supervisor.vm.VmDeps;

/**
 * The serial consoles of all VMs. Every VM's first serial port is a socket chardev that logs all output to
 * {@code serial.log} in its directory (nothing is lost while nobody listens, nor while the daemon is down). This
 * verticle follows each log (when inotify says it changed, checked every {@value #POLL_MS} ms) and publishes complete lines on {@link
 * Addresses#console(String)}; answers {@link Addresses#CONSOLE_READ} (the last lines plus the offset the stream
 * continues at) and {@link Addresses#CONSOLE_WRITE} (input through the serial socket).
 *
 * <p>A late subscriber gets everything exactly once by: subscribing to {@code vmsup.console.<name>} first (buffering),
 * then requesting {@code console.read}, then showing the history and only the live lines whose {@code offset} is
 * {@code >=} the reply's {@code next}.
 */
public final class ConsoleVerticle extends VerticleBase {

  /** How often each serial log is checked for new bytes. */
  public static final long POLL_MS = 100;
  /** Lines returned by {@code console.read} without {@code lines}. */
  public static final int DEFAULT_LINES = 100;
  /** The most lines one {@code console.read} returns. */
  public static final int MAX_LINES = 10_000;
  /** A line longer than this is cut into pieces. */
  public static final int MAX_LINE = 8192;

  private final VmDeps deps;
  private NetClient client;
  private ConsoleService service;
  private long timer = -1;

  public ConsoleVerticle(VmDeps deps) {
    this.deps = deps;
  }

  @Override
  public Future<?> start() {
    client = vertx.createNetClient(new NetClientOptions());
    service = new ConsoleService(vertx, deps, client);
    return service.begin().compose(v -> {
      timer = vertx.setPeriodic(0, POLL_MS, id -> service.pollAll());
      return consumers();
    });
  }

  private Future<?> consumers() {
    var bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(deps.options().fleet().address(Addresses.CONSOLE_READ), m -> reply(m,
            read(m.body()))).completion(),
        bus.<JsonObject>consumer(deps.options().fleet().address(Addresses.CONSOLE_WRITE), m -> reply(m,
            write(m.body()))).completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    service.close();
    return client.close();
  }

  private Future<JsonObject> read(JsonObject body) {
    String name = name(body);
    VmHandle h = deps.table().get(name);
    if (h == null) {
      return notFound(name);
    }
    int lines = DEFAULT_LINES;
    if (body.containsKey("lines")) {
      if (!(body.getValue("lines") instanceof Integer n) || n < 1 || n > MAX_LINES) {
        return Future.failedFuture(ConsoleService.invalid("lines", "must be an integer 1-" + MAX_LINES));
      }
      lines = n;
    }
    long after = -1;
    if (body.containsKey("after")) {
      if (!(body.getValue("after") instanceof Number n) || n.longValue() < 0) {
        return Future.failedFuture(ConsoleService.invalid("after", "must be a line offset >= 0"));
      }
      after = n.longValue();
    }
    return service.history(name, lines, after);
  }

  private Future<JsonObject> write(JsonObject body) {
    String name = name(body);
    VmHandle h = deps.table().get(name);
    if (h == null) {
      return notFound(name);
    }
    if (!(body.getValue("data") instanceof String data)) {
      return Future.failedFuture(ConsoleService.invalid("data", "required: the text to write"));
    }
    if (!(h.state() == VmState.RUNNING
        || h.state() == VmState.PAUSED)) {
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "VM '" + name + "' is " + h.state().json()
          + ": its serial console takes input only while QEMU runs", new JsonObject().put("state", h.state().json())));
    }
    return service.write(name, data);
  }

  private static String name(JsonObject body) {
    return body == null || !(body.getValue("name") instanceof String s) ? null : s;
  }

  private static Future<JsonObject> notFound(String name) {
    return Future.failedFuture(new VmException(ErrorCode.NOT_FOUND,
        name == null ? "missing 'name'" : "no VM named '" + name + "'"));
  }

  private static void reply(Message<JsonObject> m, Future<JsonObject> f) {
    Replies.when(m, f);
  }
}

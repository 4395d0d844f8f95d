package io.vmsup.supervisor.fence.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import io.vmsup.supervisor.fence.FenceLease;
import io.vmsup.supervisor.fence.FenceSettings;
import io.vmsup.supervisor.fence.Victim;
import io.vmsup.supervisor.fence.Watchdog;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Confined to the context that started it (the timer, the socket and the respawn all run there). A lost connection
 * (the watchdog died) starts a watchdog again at the next renewal.
 */
public final class FenceLeaseImpl implements FenceLease {

  private static final System.Logger LOG = System.getLogger(FenceLeaseImpl.class.getName());

  private final Vertx vertx;
  private final FenceSettings settings;
  private final Path dir;
  private final Supplier<List<Victim>> victims;
  private final NetClient client;
  private BooleanSupplier standing = () -> true;
  private boolean gatedLogged;
  private NetSocket socket;
  private Future<NetSocket> connecting;
  private long timer;
  private long acknowledged;

  private FenceLeaseImpl(Vertx vertx, FenceSettings settings, Path stateDir, Supplier<List<Victim>> victims) {
    this.vertx = vertx;
    this.settings = settings;
    this.dir = stateDir.resolve("fence");
    this.victims = victims;
    this.client = vertx.createNetClient();
  }

  public static Future<FenceLease> start(Vertx vertx, FenceSettings settings, Path stateDir,
                                         Supplier<List<Victim>> victims) {
    FenceLeaseImpl lease = new FenceLeaseImpl(vertx, settings, stateDir, victims);
    return lease.connected().map(s -> {
      lease.renew();
      lease.timer = vertx.setPeriodic(settings.renewEvery().toMillis(), id -> lease.renew());
      return (FenceLease) lease;
    });
  }

  @Override
  public void gate(BooleanSupplier standing) {
    this.standing = standing;
  }

  @Override
  public long acknowledged() {
    return acknowledged;
  }

  private void renew() {
    if (!standing.getAsBoolean()) {
      if (!gatedLogged) {
        gatedLogged = true;
        LOG.log(System.Logger.Level.WARNING, "fence: not renewing the lease (this member is cut off): the watchdog"
            + " fences the relocatable VMs after " + settings.fenceAfter().toSeconds() + " s");
      }
      return;
    }
    gatedLogged = false;
    JsonArray vms = new JsonArray();
    for (Victim v : victims.get()) {
      vms.add(new JsonObject().put("name", v.name()).put("pid", v.pid()));
    }
    String line = new JsonObject().put("op", "renew").put("fenceAfterMs", settings.fenceAfter().toMillis())
        .put("vms", vms).encode() + "\n";
    connected().onSuccess(s -> s.write(line))
        .onFailure(t -> LOG.log(System.Logger.Level.ERROR, "fence: cannot reach the watchdog: " + t));
  }

  /** The watchdog connection: the open one, or a new one to the running watchdog, or to one started now. */
  private Future<NetSocket> connected() {
    if (socket != null) {
      return Future.succeededFuture(socket);
    }
    if (connecting == null) {
      connecting = connect().recover(none -> spawn().compose(v -> retry(50)))
          .onComplete(ar -> connecting = null)
          .onSuccess(this::adopt);
    }
    return connecting;
  }

  private Future<NetSocket> connect() {
    return client.connect(SocketAddress.domainSocketAddress(dir.resolve(SOCKET).toString()));
  }

  // a new watchdog's JVM takes about a second to bind: try every 100 ms, 50 times
  private Future<NetSocket> retry(int left) {
    return connect().recover(t -> {
      if (left <= 0) {
        return Future.failedFuture(t);
      }
      Promise<NetSocket> p = Promise.promise();
      vertx.setTimer(100, id -> retry(left - 1).onComplete(p));
      return p.future();
    });
  }

  private void adopt(NetSocket s) {
    socket = s;
    s.handler(RecordParser.newDelimited("\n", line -> acknowledged++));
    s.closeHandler(v -> {
      if (socket == s) {
        socket = null;
        LOG.log(System.Logger.Level.WARNING, "fence: the watchdog connection closed; reconnecting (or starting a"
            + " new watchdog) at the next renewal");
      }
    });
  }

  /** Starts {@code setsid java ... Watchdog <socket>}: a session of its own, output to fence/watchdog.log. */
  private Future<Void> spawn() {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      List<String> cmd = new ArrayList<>(List.of("setsid", javaBinary(), "-Xmx32m", "-Xss512k", "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1", "-cp", classPath(), Watchdog.class.getName(),
          dir.resolve(SOCKET).toString()));
      File log = dir.resolve("watchdog.log").toFile();
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).redirectInput(ProcessBuilder.Redirect.from(
              new File("/dev/null"))).start();
      LOG.log(System.Logger.Level.INFO, "fence: started the watchdog (pid " + p.pid() + ", lease "
          + settings.fenceAfter().toSeconds() + " s, log " + log + ")");
      return null;
    }, false);
  }

  /** This JVM's class path with every entry absolute: the watchdog runs in the fence directory. */
  private static String classPath() {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      entries.add(e.isEmpty() ? e : Path.of(e).toAbsolutePath().toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  @Override
  public Future<Void> stop(boolean release) {
    vertx.cancelTimer(timer);
    NetSocket s = socket;
    socket = null;
    if (s == null) {
      return Future.succeededFuture();
    }
    Future<Void> sent = release ? s.write(Buffer.buffer("{\"op\":\"release\"}\n")) : Future.succeededFuture();
    return sent.eventually(s::close);
  }
}

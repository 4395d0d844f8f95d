package io.vmsup.supervisor.network.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.network.NetworkSpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The dnsmasq of one network, supervised like a VM: started (or, after a daemon restart, re-adopted from its pid
 * file when {@code /proc/PID/cmdline} is the one this class starts), restarted with a growing delay when it dies,
 * stopped on delete. DHCP only ({@code --port=0}: no DNS), bound to the bridge, privileges dropped to nobody after
 * it opened its lease file in the network's directory. Confined to the network verticle's context.
 */
final class Dnsmasq {

  private static final Logger LOG = Logger.getLogger(Dnsmasq.class.getName());
  static final String BINARY = "/usr/sbin/dnsmasq";
  private static final String SETSID = "/usr/bin/setsid";
  private static final long MAX_DELAY_MS = 30_000;

  private final Vertx vertx;
  private final Context context;
  private final NetworkSpec net;
  private final Path dir;
  private ProcessHandle process;
  private boolean stopped;
  private int restarts;
  private long timer = -1;

  Dnsmasq(Vertx vertx, Context context, NetworkSpec net, Path dir) {
    this.vertx = vertx;
    this.context = context;
    this.net = net;
    this.dir = dir;
  }

  Path leases() {
    return dir.resolve("leases");
  }

  private Path pidFile() {
    return dir.resolve("dnsmasq.pid");
  }

  List<String> argv() {
    NetworkSpec.DhcpRange r = net.dhcp().orElseThrow();
    String mask = Ipv4.Cidr.parse(net.subnet()).orElseThrow().netmask();
    return List.of(SETSID, BINARY, "--keep-in-foreground", "--conf-file=/dev/null", "--port=0",
        "--bind-interfaces", "--interface=" + net.bridge(), "--except-interface=lo",
        "--listen-address=" + net.gateway(), "--dhcp-range=" + r.start() + "," + r.end() + "," + mask + ",1h",
        "--dhcp-leasefile=" + leases(), "--pid-file=" + pidFile(), "--dhcp-authoritative",
        "--log-facility=" + dir.resolve("dnsmasq.log"), "--user=nobody", "--group=nogroup");
  }

  /** Adopts the running dnsmasq of this network or starts one. */
  Future<Void> start() {
    return vertx.executeBlocking(() -> adoptOrSpawn(), false).map(h -> {
      watch(h);
      return null;
    });
  }

  private ProcessHandle adoptOrSpawn() throws IOException {
    Optional<ProcessHandle> running = adoptable();
    if (running.isPresent()) {
      LOG.info("network " + net.name() + ": re-adopted dnsmasq pid " + running.get().pid());
      return running.get();
    }
    Files.deleteIfExists(pidFile());
    Process p = new ProcessBuilder(argv()).directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dnsmasq.out").toFile())).start();
    return p.toHandle();
  }

  /** The dnsmasq named by the pid file, if it is alive and runs exactly our command line. */
  private Optional<ProcessHandle> adoptable() throws IOException {
    if (!Files.isRegularFile(pidFile())) {
      return Optional.empty();
    }
    String text = Files.readString(pidFile(), StandardCharsets.US_ASCII).trim();
    if (!text.matches("[0-9]{1,9}")) {
      return Optional.empty();
    }
    Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive);
    if (h.isEmpty()) {
      return Optional.empty();
    }
    Path cmdline = Path.of("/proc", text, "cmdline");
    String expected = String.join("\0", argv().subList(1, argv().size())) + "\0";
    try {
      return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).equals(expected) ? h : Optional.empty();
    } catch (IOException gone) {
      return Optional.empty();
    }
  }

  private void watch(ProcessHandle h) {
    process = h;
    Future.fromCompletionStage(h.onExit(), context).onComplete(ar -> {
      if (process != h || stopped) {
        return;
      }
      process = null;
      long delay = Math.min(MAX_DELAY_MS, 500L << Math.min(restarts, 6));
      restarts++;
      LOG.warning("network " + net.name() + ": dnsmasq (pid " + h.pid() + ") ended; restarting in " + delay + " ms");
      timer = vertx.setTimer(delay, id -> {
        timer = -1;
        if (!stopped) {
          start().onFailure(t -> LOG.severe("network " + net.name() + ": dnsmasq did not start: " + t));
        }
      });
    });
  }

  /** The daemon stops: dnsmasq keeps running (the next daemon re-adopts it), no longer watched from here. */
  void detach() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Stops it for good (delete): SIGTERM, then SIGKILL after 5 s. */
  Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    ProcessHandle h = process;
    process = null;
    return vertx.executeBlocking(() -> {
      Optional<ProcessHandle> target = h != null ? Optional.of(h) : adoptable();
      if (target.isPresent()) {
        target.get().destroy();
        try {
          target.get().onExit().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          target.get().destroyForcibly();
        }
      }
      return null;
    }, false);
  }

  /** {@code {"pid","running","restarts"}}. */
  JsonObject view() {
    ProcessHandle h = process;
    return new JsonObject().put("pid", h == null ? null : h.pid()).put("running", h != null && h.isAlive())
        .put("restarts", restarts);
  }
}

package io.vmsup.supervisor.fence.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.fence.Victim;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The watchdog process: a unix socket the daemon renews its lease on (one JSON object per line, {@code
 * {"op":"renew","fenceAfterMs","vms":[{"name","pid"}]}}, answered {@code {"op":"ack","guarded":N}}; {@code
 * {"op":"release"}} ends the watchdog without fencing), and a main thread that fences once the deadline passes:
 * SIGKILL to each guarded QEMU whose pid still has the start time and the {@code guest=NAME} it had, one line per VM
 * in {@code fenced.log}, then exit. Plain JDK threads: no Vert.x, nothing that a frozen daemon could hold.
 */
public final class WatchdogServer {

  private final Path socket;
  private final Path fencedLog;
  private final Lease lease = new Lease();
  private volatile boolean released;

  public WatchdogServer(Path socket) {
    this.socket = socket;
    this.fencedLog = socket.resolveSibling("fenced.log");
  }

  /** Binds, serves renewals on a thread per connection, and returns once fenced or released. */
  public void run() throws IOException, InterruptedException {
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    log("listening on " + socket + " (pid " + ProcessHandle.current().pid() + ")");
    Thread acceptor = new Thread(() -> accept(server), "fence-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    while (!released) {
      long remaining = lease.remainingNanos();
      if (remaining <= 0) {
        fence();
        return;
      }
      Thread.sleep(Math.max(1, Math.min(100, remaining / 1_000_000)));
    }
    log("released: nothing to guard");
  }

  private void accept(ServerSocketChannel server) {
    while (true) {
      try {
        SocketChannel c = server.accept();
        Thread t = new Thread(() -> serve(c), "fence-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        log("accept failed: " + e);
        return;
      }
    }
  }

  private void serve(SocketChannel c) {
    try (c; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
        StandardCharsets.UTF_8)); OutputStream out = Channels.newOutputStream(c)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonObject m = new JsonObject(line);
        if ("release".equals(m.getString("op"))) {
          released = true;
          return;
        }
        List<Victim> victims = new ArrayList<>();
        for (Object o : m.getJsonArray("vms", new JsonArray())) {
          JsonObject v = (JsonObject) o;
          victims.add(new Victim(v.getString("name"), v.getLong("pid")));
        }
        lease.renew(victims, m.getLong("fenceAfterMs"));
        long n = lease.renewals();
        if (n == 1 || n % 10 == 0) {
          log("renewal " + n + ": guarding " + lease.held().stream().map(h -> h.victim().name()).sorted().toList());
        }
        out.write((new JsonObject().put("op", "ack").put("guarded", lease.held().size()).encode() + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      // a broken connection or a line we cannot read: the lease stands until its deadline, the daemon reconnects
      log("connection ended: " + e);
    }
  }

  private void fence() throws IOException {
    log("lease not renewed in time: fencing " + lease.held().size() + " VM(s)");
    for (Lease.Held h : lease.held()) {
      String outcome = kill(h);
      String line = new JsonObject().put("at", Instant.now().toString()).put("vm", h.victim().name())
          .put("pid", h.victim().pid()).put("outcome", outcome).encode();
      log("fence " + line);
      Files.writeString(fencedLog, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  private static String kill(Lease.Held h) throws IOException {
    long pid = h.victim().pid();
    var start = ProcVictims.startTime(pid);
    if (start.isEmpty()) {
      return "gone";
    }
    if (start.getAsLong() != h.startTime() || !ProcVictims.namesVm(pid, h.victim().name())) {
      return "pid-reused";
    }
    return ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false) ? "killed" : "gone";
  }

  private static void log(String message) {
    System.out.println(Instant.now() + " vmsup-watchdog: " + message);
    System.out.flush();
  }
}

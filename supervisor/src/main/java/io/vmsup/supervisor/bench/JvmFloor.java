package io.vmsup.supervisor.bench;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The memory floor of the decided stack, for {@code bench libvirt}'s resident-memory rows: a JVM that does nothing
 * ({@code empty}), and one that runs only a Vert.x HTTP server and an event-bus consumer ({@code vertx}), each started
 * with the daemon's JVM flags ({@code VMSUP_DAEMON_JVM_FLAGS}, the launcher's) and measured as the daemon is: RSS and
 * Pss after a few requests and 3 s of quiet. Whatever the daemon does on top of that is what its code costs.
 */
public final class JvmFloor {

  private JvmFloor() {
  }

  /** The floor process itself: {@code empty} sleeps; {@code vertx} serves {@code ok} on an ephemeral port too. */
  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("vertx")) {
      Vertx vertx = Vertx.vertx();
      int port = vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1")
          .await().actualPort();
      vertx.eventBus().consumer("floor", m -> m.reply("ok"));
      System.out.println("port " + port);
    } else {
      System.out.println("port 0");
    }
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // a measured process that only waits (its own main thread)
  }

  /**
   * The floor rows beside libvirt's idle figures ({@code libvirtRss}, {@code libvirtPss} MiB, NaN without libvirt),
   * and a note comparing issue 15's bound (1.5x libvirt's) with the bare Vert.x server's RSS.
   */
  static void rows(LibvirtTable t, double libvirtRss, double libvirtPss, PrintStream err) throws Exception {
    err.println("bench libvirt: the stack's memory floor: an empty JVM and a bare Vert.x server, the daemon's flags");
    long[] empty = measure("empty");
    long[] vertx = measure("vertx");
    t.row("  floor: an empty JVM, RSS (MiB)", empty[0] / 1024.0, libvirtRss);
    t.row("  floor: a bare Vert.x server, RSS (MiB)", vertx[0] / 1024.0, libvirtRss);
    t.row("  floor: a bare Vert.x server, Pss (MiB)", vertx[1] / 1024.0, libvirtPss);
    if (!Double.isNaN(libvirtRss)) {
      double bound = libvirtRss * 1.5;
      t.note(String.format(java.util.Locale.ROOT, "the memory floor: issue 15's idle bound is %.1f MiB RSS; a JVM "
          + "with the daemon's flags and nothing in it takes %.1f, one with only a Vert.x HTTP server and a bus "
          + "consumer %.1f: %s", bound, empty[0] / 1024.0, vertx[0] / 1024.0, bound < vertx[0] / 1024.0
          ? "the bound is below what the decided stack (Java 17, Vert.x 5) needs before any vmsup code runs"
          : "the bound is above that floor"));
    }
  }

  /** RSS and Pss of a floor process of {@code kind}, KiB, after 5 requests (vertx) and 3 s of quiet. */
  static long[] measure(String kind) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("VMSUP_BENCH_JAVA", "java")));
    cmd.addAll(Arrays.asList(System.getenv().getOrDefault("VMSUP_DAEMON_JVM_FLAGS", "").trim().split("\\s+")));
    cmd.removeIf(String::isEmpty);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), JvmFloor.class.getName(), kind));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2"); // as ./vmsup run sets it
    Process p = pb.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      while (line != null && !line.startsWith("port ")) {
        line = out.readLine(); // a JVM warning before it
      }
      if (line == null) {
        throw new IOException("the " + kind + " floor JVM ended before it was up (exit " + p.waitFor() + ")");
      }
      int port = Integer.parseInt(line.substring(5).trim());
      if (port > 0) {
        try (WireClients.Http http = new WireClients.Http(port)) {
          byte[] get = WireClients.Http.request("GET", "/", null, null);
          for (int i = 0; i < 5; i++) {
            http.call(get);
          }
        }
      }
      Thread.sleep(3000); // quiet, as the daemon's rows (bench thread)
      return new long[] {ProcStat.rssKib(p.pid()), ProcStat.pssKib(p.pid())};
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}

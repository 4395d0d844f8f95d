package io.vmsup.supervisor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options of {@code bench launch}, and what it says about the host it runs on. */
record LaunchArgs(int samples, int ends, List<Integer> bursts, String qemu, boolean unbounded, boolean unboundedAll, boolean plain,
    int queue, boolean oneRequest) {

  static final String USAGE = """
      usage: vmsup bench launch [--samples N] [--ends N] [--vms N[,N...]] [--qemu BINARY] \
      [--no-unbounded|--unbounded-all] [--plain] [--queue N] [--one-request]
        --samples  one-at-a-time launches per kind (default 50)
        --ends     stops and kills per side (default 20)
        --vms      sizes of the at-once runs (default 200,1000; fewer when memory is short, said so)
        --no-unbounded  skip the run with the start queue unbounded (done for the first size only,
                   --unbounded-all: for every size)
        --plain    QEMU as the daemon's user, no cgroup (as root the daemon gives each QEMU a uid, ACL grants and a
                   cgroup by default: the start path without them)
        --queue    the daemon's maxConcurrentStarts (default: auto, four times the CPUs), to compare sizes run by run
        --one-request  the at-once runs create and start each VM in one request (the create's start header)
                   instead of a create, then a start
      What each part costs on a 2-CPU host (idle / shared with other builds, load ~15), about 2-4 min by default:
        warm-up + one at a time, 50 samples     10 s / 25 s (three kinds alternating: raw, create then start,
                                                create+start in one request; the warm-up goes on in rounds of 5
                                                until the JIT compilers take under 1 ms per launch, at most 100:
                                                up to ~15 s / 60 s more)
        stop and kill, 20 each                   3 s /  5 s
        200 at once: raw, vmsup, unbounded      15 s / 25 s (each ~4-9 s, plus kill -9 of all and deletes)
        1,000 at once: raw, vmsup               50 s / 2 min (a raw QEMU not ready within 120 s is counted, killed
                                                and not waited for), plus 100 SIGKILLs one at a time and a kill -9
                                                of the other 900
      """;

  /** @throws IllegalArgumentException naming the bad argument */
  static LaunchArgs parse(String[] a) {
    int samples = 50;
    int ends = 20;
    List<Integer> bursts = List.of(200, 1000);
    String qemu = "qemu-system-x86_64";
    boolean unbounded = true;
    boolean plain = false;
    boolean all = false;
    int queue = 0;
    boolean one = false;
    for (int i = 0; i < a.length; i++) {
      switch (a[i]) {
        case "--samples" -> samples = number(a, ++i, 1, 100_000);
        case "--ends" -> ends = number(a, ++i, 1, 10_000);
        case "--vms" -> {
          List<Integer> out = new ArrayList<>();
          String list = value(a, ++i);
          for (String p : list.split(",")) {
            out.add(number(new String[] {p}, 0, 1, 100_000));
          }
          bursts = List.copyOf(out);
        }
        case "--qemu" -> qemu = value(a, ++i);
        case "--no-unbounded" -> unbounded = false;
        case "--plain" -> plain = true;
        case "--one-request" -> one = true;
        case "--unbounded-all" -> all = true;
        case "--queue" -> queue = number(a, ++i, 1, io.vmsup.supervisor.api.StartSettings.MAX);
        default -> throw new IllegalArgumentException("unknown argument '" + a[i] + "'");
      }
    }
    return new LaunchArgs(samples, ends, bursts, qemu, unbounded, all, plain, queue, one);
  }

  /** The daemon's start queue: {@code --queue N}, else auto. */
  io.vmsup.supervisor.api.StartSettings starts() {
    return queue > 0 ? new io.vmsup.supervisor.api.StartSettings(queue) : io.vmsup.supervisor.api.StartSettings.auto();
  }

  /** How {@link #starts()} was chosen, for the header. */
  String startsNote() {
    return starts().maxConcurrent() + (queue > 0 ? " (--queue)" : " (auto)");
  }

  private static String value(String[] a, int i) {
    if (i >= a.length) {
      throw new IllegalArgumentException(a[i - 1] + " needs a value");
    }
    return a[i];
  }

  private static int number(String[] a, int i, int min, int max) {
    String v = value(a, i).trim();
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("'" + v + "' must be a whole number " + min + ".." + max);
  }

  /** CPUs and load average. */
  static String host() {
    String load = "?";
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      load = f[0] + " " + f[1] + " " + f[2];
    } catch (IOException ignored) {
      // shown as '?'
    }
    return "host: " + Runtime.getRuntime().availableProcessors() + " CPUs, load average " + load;
  }

  /** The open-file limit, and who raised it (./vmsup does, as root, and exports VMSUP_NOFILE). */
  static String limits(boolean plain) {
    String raised = System.getenv("VMSUP_NOFILE");
    String uid = System.getProperty("user.name");
    return "limits: open files " + softNofile() + (raised != null ? " (raised by ./vmsup before the JVM started"
        + ("root".equals(uid) ? ", as root: hard limit too)" : ", to the hard limit)") : " (not raised)")
        + "; running as " + uid + (plain ? "; --plain: QEMU as the daemon's user, no cgroup"
        : "root".equals(uid) ? " (each QEMU under a uid of its own with ACL grants and a cgroup, the daemon's"
        + " defaults as root; --plain leaves them out)" : "");
  }

  private static String softNofile() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          return line.replaceAll("\\s+", " ").split(" ")[3];
        }
      }
    } catch (IOException ignored) {
      // below
    }
    return "?";
  }

  /** {@code n}, or fewer when MemAvailable cannot hold n idle QEMUs (~12 MiB each, shared pages) with a quarter free. */
  static int affordable(int n, PrintStream out) throws IOException {
    long availKb = 0;
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemAvailable:")) {
        availKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    int fits = (int) Math.max(10, availKb * 3 / 4 / (12 * 1024));
    if (fits < n) {
      out.println("# using " + fits + " VMs instead of " + n + ": MemAvailable " + availKb / 1024
          + " MiB, ~12 MiB per idle QEMU, keeping a quarter free for others");
      return fits;
    }
    return n;
  }
}

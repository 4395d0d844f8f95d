package io.vmsup.supervisor.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failed daemon test tells about stalls (docs/fleet.md, "Stalls and suspicion"): for every {@code vmsup run}
 * process the test started, the lines in which a member suspected a peer or saw its own stall, an event loop was
 * blocked, or a member stopped standing; the JVM's safepoint and GC pauses of 100 ms or more (from the
 * {@code -Xlog} file every test daemon writes); and thread dumps of every daemon taken the moment a member was
 * suspected or a stall was logged (at most every 15 s for each suspected member or stalled daemon; a stalled JVM that does not answer the dump within 10 s says so). Collected all
 * along, reported only when the test failed: printed and attached to the failure as a suppressed error.
 */
final class StallEvidence {

  /** Lines of a daemon's output that tell of a stall or a suspicion. */
  static final Pattern STALL = Pattern.compile("Suspecting Member|suspected to be dead|stalled for|"
      + "has been blocked for|delayed \\d+ ms|clock jump|does not stand|not renewing|Thread blocked|"
      + "harness: this JVM's stdout");
  /**
   * The lines after which every daemon's threads are dumped (a blocked event loop's warning carries that loop's stack
   * itself, see LogSetup; a dump costs a JVM start of jcmd per daemon, so not for each of those). Group 1, when it
   * matched, names what the line is about: the suspected member's address, so that a survivor suspecting the new
   * master seconds after both suspected the old one is dumped too (the only failing frozen-master run lost exactly
   * that dump to a throttle shared by all lines; docs/fleet.md, "When the master freezes").
   */
  private static final Pattern DUMP_ON = Pattern.compile("Suspecting Member (\\[[^\\]]+\\]:\\d+)|stalled for"
      + "|could not acquire lock in time");
  /**
   * A member that starts a split-brain merge: its threads and the others' are dumped {@link #MERGE_DUMP_AFTER_MS}
   * later, when a merge that healed is long over and one that hangs (RelocationFreezeIT, docs/fleet.md: a survivor's
   * join never completed while the old master stayed frozen) is still hanging.
   */
  private static final Pattern MERGING = Pattern.compile("is MERGING");
  private static final long MERGE_DUMP_AFTER_MS = 30_000;
  private static final Pattern SAFEPOINT_TOTAL = Pattern.compile("Total: (\\d+) ns");
  private static final Pattern GC_PAUSE = Pattern.compile("Pause.* (\\d+(?:\\.\\d+)?)ms$");
  private static final long DUMP_EVERY_MS = 15_000;
  private static final long LONG_PAUSE_MS = 100;

  private static final List<DaemonProcess> DAEMONS = new CopyOnWriteArrayList<>();
  private static final List<String> DUMPS = new CopyOnWriteArrayList<>();
  /** When the last dump for each subject was taken (a suspected member, or the daemon that logged the line). */
  private static final Map<String, Long> LAST_DUMP = new ConcurrentHashMap<>();

  private StallEvidence() {
  }

  static void started(DaemonProcess daemon) {
    DAEMONS.add(daemon);
  }

  /** A line of {@code daemon}'s output: a suspicion or a stall dumps every daemon's threads (at most every 15 s). */
  static void seen(DaemonProcess daemon, String line) {
    if (MERGING.matcher(line).find()) {
      List<DaemonProcess> these = List.copyOf(DAEMONS); // this test's, not the next one's
      Thread later = new Thread(() -> {
        try {
          Thread.sleep(MERGE_DUMP_AFTER_MS);
        } catch (InterruptedException e) {
          return;
        }
        if (!DAEMONS.contains(daemon)) {
          return; // the test is over
        }
        dumpAll(these, "30 s after daemon " + daemon.process.pid() + " logged: " + line);
      }, "merge-dump-" + daemon.process.pid());
      later.setDaemon(true);
      later.start();
      return;
    }
    String subject = dumpSubject(line, daemon.process.pid());
    if (subject == null || !due(subject, System.currentTimeMillis())) {
      return;
    }
    dumpAll(DAEMONS, "after daemon " + daemon.process.pid() + " logged: " + line);
  }

  /** What a line that asks for a dump is about (null: no dump): the suspected member, else the daemon itself. */
  static String dumpSubject(String line, long pid) {
    Matcher m = DUMP_ON.matcher(line);
    if (!m.find()) {
      return null;
    }
    return m.group(1) != null ? "member " + m.group(1) : "daemon " + pid;
  }

  /** Whether a dump about {@code subject} is due at {@code now} (none in the last 15 s); if so, records it. */
  static boolean due(String subject, long now) {
    boolean[] due = {false};
    LAST_DUMP.compute(subject, (k, before) -> {
      if (before != null && now - before < DUMP_EVERY_MS) {
        return before;
      }
      due[0] = true;
      return now;
    });
    return due[0];
  }

  private static void dumpAll(List<DaemonProcess> daemons, String cause) {
    for (DaemonProcess d : daemons) {
      if (d.process.isAlive()) {
        Thread t = new Thread(() -> DUMPS.add(dump(d.process.pid(), cause)), "stall-dump-" + d.process.pid());
        t.setDaemon(true);
        t.start();
      }
    }
  }

  /** After a test: the report when it failed (added to {@code failure} as a suppressed error), then forgets. */
  static void afterTest(Throwable failure) {
    try {
      if (failure != null && !DAEMONS.isEmpty()) {
        String report = report();
        System.out.println(report);
        for (String dump : DUMPS) {
          System.out.println(dump);
        }
        failure.addSuppressed(new AssertionError(report));
      }
    } finally {
      DAEMONS.clear();
      DUMPS.clear();
      LAST_DUMP.clear();
    }
  }

  static String report() {
    StringBuilder b = new StringBuilder("stall evidence of the test's daemons (docs/fleet.md, \"Stalls and suspicion\"); "
        + DUMPS.size() + " thread dumps printed to stdout:");
    for (DaemonProcess d : DAEMONS) {
      b.append("\n- daemon ").append(d.process.pid()).append(d.process.isAlive() ? " (alive)" : " (ended)");
      for (String line : d.text().split("\n")) {
        if (STALL.matcher(line).find()) {
          b.append("\n    ").append(line.length() > 400 ? line.substring(0, 400) + "..." : line);
        }
      }
      List<String> pauses = longPauses(d.jvmLog);
      b.append("\n    JVM pauses >= ").append(LONG_PAUSE_MS).append(" ms: ").append(pauses.isEmpty() ? "none" : "");
      pauses.forEach(p -> b.append("\n    ").append(p));
    }
    return b.toString();
  }

  /** The safepoint and GC lines of a {@code -Xlog} file that took {@link #LONG_PAUSE_MS} or more. */
  static List<String> longPauses(Path jvmLog) {
    List<String> found = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(jvmLog, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of("(no JVM log " + jvmLog + ": " + e + ")");
    }
    for (String line : lines) {
      Matcher sp = SAFEPOINT_TOTAL.matcher(line);
      Matcher gc = GC_PAUSE.matcher(line);
      if (sp.find() && Long.parseLong(sp.group(1)) >= LONG_PAUSE_MS * 1_000_000
          || gc.find() && Double.parseDouble(gc.group(1)) >= LONG_PAUSE_MS) {
        found.add(line);
      }
    }
    return found;
  }

  private static String dump(long pid, String cause) {
    StringBuilder b = new StringBuilder("thread dump of daemon " + pid + " at " + Instant.now() + ", " + cause + ":\n");
    Path out = null;
    try {
      out = Files.createTempFile("vmsup-stall-dump-", ".txt");
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print").redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        b.append("(no answer within 10 s: the JVM is stopped or stalled)\n");
      }
      b.append(Files.readString(out));
    } catch (IOException e) {
      b.append("(jcmd failed: ").append(e).append(")\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
    return b.toString();
  }
}

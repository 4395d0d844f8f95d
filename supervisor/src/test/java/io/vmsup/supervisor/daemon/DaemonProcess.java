package io.vmsup.supervisor.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vmsup run} as a real JVM process: {@code java -cp <the test class path> io.vmsup.supervisor.main.Main run ...}.
 * The test class path is Surefire's ({@code surefire.test.class.path}), so this works in the {@code test} phase,
 * before the shaded jar exists.
 */
final class DaemonProcess {

  private static final Pattern LISTENING = Pattern.compile("vmsup: listening on (\\S+);");
  /** The echo queue's end (compared by identity). */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String END = new String("end");

  final Process process;
  final List<String> output = new ArrayList<>();
  /** Where the daemon's JVM writes its safepoint and GC log ({@link #jvmLogFlag}); read by {@link StallEvidence}. */
  final Path jvmLog;
  private final CompletableFuture<String> url = new CompletableFuture<>();
  private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
  /** Lines for this JVM's stdout: the reader hands them over and never waits for Surefire's console. */
  private final BlockingQueue<String> echo = new LinkedBlockingQueue<>();

  private DaemonProcess(Process process, Path logDir) {
    this.process = process;
    this.jvmLog = logDir.resolve("jvm-" + process.pid() + ".log");
    Thread reader = new Thread(this::read, "daemon-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    Thread printer = new Thread(this::echo, "daemon-echo-" + process.pid());
    printer.setDaemon(true);
    printer.start();
    StallEvidence.started(this);
  }

  /**
   * The daemon JVM logs every safepoint and GC pause to {@code dir/jvm-<pid>.log}: a stalled member (a peer suspected
   * it) shows there whether its JVM stopped the world (see docs/fleet.md, "Stalls and suspicion").
   */
  static String jvmLogFlag(Path dir) {
    return "-Xlog:safepoint=info,gc=info:file=" + dir.resolve("jvm-%p.log") + ":uptime,time,level,tags";
  }

  private static List<String> daemonCommand(Path stateDir, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("run", "--http-port", "0", "--state-dir", stateDir.toString(),
        "--metrics-interval", "1"));
    args.addAll(extra);
    List<String> command = javaCommand(args.toArray(new String[0]));
    command.add(1, jvmLogFlag(stateDir.toAbsolutePath().getParent()));
    return command;
  }

  static List<String> javaCommand(String... args) {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    // the same module flags as this JVM (Surefire's argLine, i.e. the launcher's)
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports") || arg.startsWith("--add-modules")
          || arg.startsWith("--enable-native-access")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-cp", classPath, "io.vmsup.supervisor.main.Main"));
    command.addAll(List.of(args));
    return command;
  }

  static DaemonProcess start(Path stateDir) throws IOException {
    return start(stateDir, List.of());
  }

  /** {@code vmsup run} on {@code stateDir} with {@code extra} settings after the defaults of the tests. */
  static DaemonProcess start(Path stateDir, List<String> extra) throws IOException {
    return start(stateDir, extra, java.util.Map.of());
  }

  /** As {@link #start(Path, List)}, with {@code env} added to the daemon's environment (a PATH with fakes first). */
  static DaemonProcess start(Path stateDir, List<String> extra, java.util.Map<String, String> env)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(daemonCommand(stateDir, extra)).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new DaemonProcess(pb.start(), stateDir.toAbsolutePath().getParent());
  }

  /** {@code vmsup run} as {@link #start(Path, List)}, the command behind {@code prefix} (e.g. {@code ip netns exec NS}). */
  static DaemonProcess startIn(List<String> prefix, Path stateDir, List<String> extra) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(daemonCommand(stateDir, extra));
    return new DaemonProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start(),
        stateDir.toAbsolutePath().getParent());
  }

  /** The exit code once the process ended by itself (a refused start). */
  int exitCode() throws Exception {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      throw new AssertionError("daemon still runs:\n" + text());
    }
    outputEnded.get(10, TimeUnit.SECONDS);
    return process.exitValue();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        echo.add(line);
        synchronized (output) {
          output.add(line);
        }
        StallEvidence.seen(this, line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          url.complete(m.group(1));
        }
      }
    } catch (IOException e) {
      url.completeExceptionally(e);
    }
    url.completeExceptionally(new IOException("the daemon ended before it listened: " + text()));
    echo.add(END);
    outputEnded.complete(null);
  }

  /**
   * Copies the daemon's lines to this JVM's stdout (Surefire's console and report). On its own thread: when the
   * console is slow, the lines wait here, in memory, rather than in the daemon's 64 KiB pipe, whose filling would
   * block every daemon thread that logs (and whatever lock it holds: Hazelcast logs with its cluster lock held).
   */
  private void echo() {
    String prefix = "[daemon " + process.pid() + "] ";
    try {
      while (true) {
        String line = echo.take();
        if (line == END) {
          return;
        }
        long before = System.nanoTime();
        System.out.println(prefix + line);
        long ms = (System.nanoTime() - before) / 1_000_000;
        if (ms >= 1000) {
          System.out.println(prefix + "(harness: this JVM's stdout took " + ms + " ms to take that line)");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The URL once the daemon listens. A hang guard, not a speed limit: 180 s, since a restarted daemon that re-adopts
   * 50 QEMUs (Kill9DuringCreateIT) took over 60 s to listen on this 2-CPU machine at load 60.
   */
  String url() throws Exception {
    return url(180);
  }

  /** The URL once the daemon listens, waiting up to {@code seconds} (a cluster member joins first). */
  String url(long seconds) throws Exception {
    try {
      return url.get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("daemon " + process.pid() + " did not listen within " + seconds + " s (alive: "
          + process.isAlive() + "); its output:\n" + text(), e);
    }
  }

  String text() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** SIGTERM, then the exit code. */
  int terminate() throws Exception {
    // Process.destroy() would also close our end of its output pipe; the handle only sends SIGTERM
    process.toHandle().destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("daemon did not stop within 60 s after SIGTERM:\n" + text());
    }
    // the exit can be seen before the last lines were read from the pipe
    outputEnded.get(10, TimeUnit.SECONDS);
    return process.exitValue();
  }
}

package io.vmsup.supervisor.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  final Process process;
  final List<String> output = new ArrayList<>();
  private final CompletableFuture<String> url = new CompletableFuture<>();
  private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

  private DaemonProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::read, "daemon-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
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
    List<String> args = new ArrayList<>(List.of("run", "--http-port", "0", "--state-dir", stateDir.toString(),
        "--metrics-interval", "1"));
    args.addAll(extra);
    ProcessBuilder pb = new ProcessBuilder(javaCommand(args.toArray(new String[0]))).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new DaemonProcess(pb.start());
  }

  /** {@code vmsup run} as {@link #start(Path, List)}, the command behind {@code prefix} (e.g. {@code ip netns exec NS}). */
  static DaemonProcess startIn(List<String> prefix, Path stateDir, List<String> extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", "--http-port", "0", "--state-dir", stateDir.toString(),
        "--metrics-interval", "1"));
    args.addAll(extra);
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(javaCommand(args.toArray(new String[0])));
    return new DaemonProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
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
        System.out.println("[daemon " + process.pid() + "] " + line);
        synchronized (output) {
          output.add(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          url.complete(m.group(1));
        }
      }
    } catch (IOException e) {
      url.completeExceptionally(e);
    }
    url.completeExceptionally(new IOException("the daemon ended before it listened: " + text()));
    outputEnded.complete(null);
  }

  String url() throws Exception {
    return url.get(60, TimeUnit.SECONDS);
  }

  /** The URL once the daemon listens, waiting up to {@code seconds} (a cluster member joins first). */
  String url(long seconds) throws Exception {
    return url.get(seconds, TimeUnit.SECONDS);
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

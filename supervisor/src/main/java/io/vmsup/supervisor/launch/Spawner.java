package io.vmsup.supervisor.launch;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The daemon's one spawner process ({@code spawner.pl}, run by {@code perl}, which every Debian system has): it forks
 * and execs each QEMU in a session of its own, reaps it, and reports its exit status over one pipe, read by one
 * thread. Started by the JDK instead, each child would hold a "process reaper" thread of the JVM for as long as it
 * runs, and {@code pid_max} counts threads: 10,000 VMs would cost 10,000 threads.
 *
 * <p>If the spawner dies (killed by hand, say), the exits of the QEMUs it started are no longer reported: their
 * {@link Child#exit()} fails with {@link Lost}, and the supervisor watches them as it watches adopted processes (by
 * {@code /proc} evidence). The next spawn starts a new spawner. Blocking: call {@link #spawn} off the event loop.
 */
public final class Spawner {

  /** A started process: its pid, and its exit code once the spawner reaped it (128 + n after signal n). */
  public record Child(long pid, CompletableFuture<Integer> exit) {
  }

  /** The spawner ended before it reported this child's exit: the exit status is unknown, not the process's fate. */
  public static final class Lost extends IOException {
    Lost(String message) {
      super(message);
    }
  }

  private static final Spawner SHARED = new Spawner();
  private static final long ANSWER_SECONDS = 30;

  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong ids = new AtomicLong();
  private Instance current;

  /** One spawner process and what it has still to report; a new one replaces it when it ends. */
  private static final class Instance {
    final Process process;
    final OutputStream requests;
    final Map<Long, CompletableFuture<Child>> starting = new ConcurrentHashMap<>();
    final Map<Long, CompletableFuture<Integer>> running = new ConcurrentHashMap<>();

    Instance(Process process) {
      this.process = process;
      this.requests = process.getOutputStream();
    }
  }

  private Spawner() {
  }

  /** The JVM's spawner (one per daemon process, started at the first spawn). */
  public static Spawner shared() {
    return SHARED;
  }

  /**
   * Starts {@code argv} in {@code cwd} with stdin {@code /dev/null} and stdout and stderr appended to {@code log},
   * with the daemon's environment plus {@code env}. A program that cannot be executed still yields a child: it writes
   * why to the log and exits 127, as a shell would.
   */
  public Child spawn(List<String> argv, Path cwd, Path log, Map<String, String> env) throws IOException {
    long id = ids.incrementAndGet();
    CompletableFuture<Child> child = new CompletableFuture<>();
    Instance to = send(id, child, request(id, argv, cwd, log, env));
    try {
      return child.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the spawner did not answer within " + ANSWER_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while spawning", e);
    } finally {
      to.starting.remove(id);
    }
  }

  private Instance send(long id, CompletableFuture<Child> child, byte[] request) throws IOException {
    lock.lock();
    try {
      if (current == null || !current.process.isAlive()) {
        current = start();
      }
      current.starting.put(id, child);
      current.requests.write(request);
      current.requests.flush();
      return current;
    } finally {
      lock.unlock();
    }
  }

  private static Instance start() throws IOException {
    String script;
    try (InputStream in = Spawner.class.getResourceAsStream("spawner.pl")) {
      if (in == null) {
        throw new IOException("spawner.pl is missing from the class path");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Instance started;
    try {
      started = new Instance(new ProcessBuilder("perl", "-e", script)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    } catch (IOException e) {
      throw new IOException("cannot start the spawner (perl, from Debian's perl-base): " + e.getMessage(), e);
    }
    Thread reader = new Thread(() -> read(started), "vmsup-spawner");
    reader.setDaemon(true);
    reader.start();
    return started;
  }

  /** Reads the spawner's reports until it ends; then fails what it can no longer report. */
  private static void read(Instance spawner) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(spawner.process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        report(spawner, line);
      }
    } catch (IOException ended) {
      // the same as end of stream below
    }
    Lost lost = new Lost("the spawner (pid " + spawner.process.pid() + ") ended; its children's exit statuses are"
        + " unknown");
    spawner.starting.values().forEach(f -> f.completeExceptionally(lost));
    spawner.running.keySet().forEach(pid -> {
      CompletableFuture<Integer> f = spawner.running.remove(pid);
      if (f != null) {
        f.completeExceptionally(lost);
      }
    });
  }

  private static void report(Instance spawner, String line) {
    String[] f = line.split(" ", 3);
    switch (f[0]) {
      case "pid" -> {
        long pid = Long.parseLong(f[2]);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        spawner.running.put(pid, exit); // before the spawn returns: the exit may be the next line
        CompletableFuture<Child> waiting = spawner.starting.get(Long.parseLong(f[1]));
        if (waiting != null) {
          waiting.complete(new Child(pid, exit));
        }
      }
      case "fail" -> {
        CompletableFuture<Child> waiting = spawner.starting.get(Long.parseLong(f[1]));
        if (waiting != null) {
          waiting.completeExceptionally(new IOException(f.length > 2 ? f[2] : "spawn failed"));
        }
      }
      case "exit" -> {
        CompletableFuture<Integer> exit = spawner.running.remove(Long.parseLong(f[1]));
        if (exit != null) {
          exit.complete(Integer.parseInt(f[2]));
        }
      }
      default -> System.err.println("vmsup: unexpected line from the spawner: " + line);
    }
  }

  private static byte[] request(long id, List<String> argv, Path cwd, Path log, Map<String, String> env)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, "spawn");
    field(out, Long.toString(id));
    field(out, cwd.toString());
    field(out, log.toString());
    field(out, Integer.toString(env.size()));
    for (Map.Entry<String, String> e : env.entrySet()) {
      field(out, e.getKey() + "=" + e.getValue());
    }
    field(out, Integer.toString(argv.size()));
    for (String a : argv) {
      field(out, a);
    }
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String value) throws IOException {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    for (byte x : b) {
      if (x == 0) {
        throw new IOException("a NUL byte cannot be passed to a program: " + value.replace('\0', '?'));
      }
    }
    out.write(b);
    out.write(0);
  }
}

package io.vmsup.supervisor.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of a test: every bridge, tap, address, rule and dnsmasq a test makes lives in one, so the
 * host's own links and rules are never touched. Closing kills whatever still runs in it and deletes it.
 */
final class NetNs implements AutoCloseable {

  private static final AtomicInteger COUNT = new AtomicInteger();

  final String name;

  private NetNs(String name) {
    this.name = name;
  }

  /** A fresh namespace with its loopback up. */
  static NetNs create() throws IOException {
    String name = "vmsupt" + ProcessHandle.current().pid() % 100000 + "x" + COUNT.incrementAndGet();
    run("ip", "netns", "add", name);
    NetNs ns = new NetNs(name);
    ns.exec("ip", "link", "set", "lo", "up");
    return ns;
  }

  /** The argv prefix that runs a command inside. */
  List<String> prefix() {
    return List.of("ip", "netns", "exec", name);
  }

  /** Runs a command inside; its output, or an AssertionError with it when the exit code is not 0. */
  String exec(String... argv) throws IOException {
    List<String> cmd = new ArrayList<>(prefix());
    cmd.addAll(List.of(argv));
    return run(cmd.toArray(new String[0]));
  }

  /** As {@link #exec}, but the exit code and output, never failing. */
  Result tryExec(String... argv) throws IOException {
    List<String> cmd = new ArrayList<>(prefix());
    cmd.addAll(List.of(argv));
    return result(cmd.toArray(new String[0]));
  }

  record Result(int exit, String out) {
  }

  static String run(String... argv) throws IOException {
    Result r = result(argv);
    if (r.exit() != 0) {
      throw new AssertionError(String.join(" ", argv) + " exited " + r.exit() + ": " + r.out());
    }
    return r.out();
  }

  static Result result(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", argv) + " did not end within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new Result(p.exitValue(), out);
  }

  /** The pids of the processes inside. */
  List<Long> pids() throws IOException {
    return run("ip", "netns", "pids", name).lines().filter(l -> !l.isBlank()).map(Long::parseLong).toList();
  }

  @Override
  public void close() throws IOException {
    for (Long pid : pids()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    run("ip", "netns", "del", name);
  }
}

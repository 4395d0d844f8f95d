package io.vmsup.supervisor.daemon;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code vmsup run}: resolves the config, starts the {@link Daemon} and blocks the calling (main) thread until a
 * JVM shutdown hook (SIGTERM, SIGINT) has stopped it.
 */
public final class RunCommand {

  /** How long the shutdown hook waits for the daemon to stop (the VM stop ladder may run). */
  static final long STOP_TIMEOUT_SECONDS = 120;

  private RunCommand() {
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
      CoreBinding.Starter core) {
    List<String> list = Arrays.asList(args);
    if (list.contains("--help") || list.contains("-h")) {
      out.print(ConfigLoader.help());
      return 0;
    }
    ConfigLoader.Result result = ConfigLoader.load(list, env, false);
    if (!result.errors().isEmpty()) {
      result.errors().forEach(e -> err.println("vmsup run: " + e));
      return 2;
    }
    LogSetup.toStdout(out);
    Daemon daemon;
    try {
      daemon = Daemon.start(result.config(), core).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      err.println("vmsup run: cannot start: " + e.getCause().getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    out.println("vmsup: listening on " + daemon.url() + "; API token in " + daemon.config().tokenFile());
    // systemd Type=notify: ready only now that the API listens and the endpoint file is written
    SdNotify.Result ready = SdNotify.send(env, "READY=1\nMAINPID=" + ProcessHandle.current().pid()
        + "\nSTATUS=listening on " + daemon.url() + "\n");
    if (ready.asked()) {
      out.println("vmsup: sd_notify READY=1: " + ready.detail());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // java.util.logging resets its handlers in its own shutdown hook: these lines go straight to stdout
      out.println("vmsup: stopping; VMs " + (daemon.config().stopVmsOnShutdown() ? "are stopped" : "keep running"));
      SdNotify.send(env, "STOPPING=1\n");
      try {
        daemon.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        out.println("vmsup: stopped");
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        err.println("vmsup: stop did not complete cleanly: " + e);
      } finally {
        out.flush();
        stopped.countDown();
      }
    }, "vmsup-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}

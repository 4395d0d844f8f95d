package io.vmsup.supervisor.fence;

import io.vmsup.supervisor.fence.impl.WatchdogServer;
import java.nio.file.Path;

/**
 * The fencing watchdog's entry point: {@code java -cp vmsup.jar io.vmsup.supervisor.fence.Watchdog SOCKET}. The
 * daemon starts it ({@link FenceLease}) in a session of its own, so that it outlives a daemon killed or frozen; it
 * kills the host's relocatable QEMUs when the daemon's lease is not renewed within its {@code fenceAfter}, then exits.
 * Exit status 0 after fencing or a release, 2 on bad usage, 1 when the socket cannot be bound.
 */
public final class Watchdog {

  private Watchdog() {
  }

  public static void main(String[] args) {
    if (args.length != 1 || args[0].startsWith("-")) {
      System.err.println("usage: java -cp vmsup.jar " + Watchdog.class.getName() + " SOCKET\n"
          + "  the fencing watchdog; the daemon starts it (setting fence) and renews its lease on SOCKET");
      System.exit(2);
    }
    try {
      new WatchdogServer(Path.of(args[0])).run();
      System.exit(0);
    } catch (Exception e) {
      System.err.println("vmsup-watchdog: " + e);
      System.exit(1);
    }
  }
}

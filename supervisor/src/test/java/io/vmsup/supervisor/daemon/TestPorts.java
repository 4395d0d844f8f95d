package io.vmsup.supervisor.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for a daemon child (cluster membership and bus ports, a Prometheus) that the test names before the child
 * binds them. A port the kernel hands out for {@code bind(0)} comes from the ephemeral range (32768-60999 here), where
 * every outgoing connection of every test fork also takes its local port: in the seconds between the pick and the
 * child's bind one of those connections can take it ("Port [36611] is already in use", FleetPlacementIT in a loaded
 * CI run). These ports come from below that range, which outgoing connections never use, from a random start per
 * JVM (so parallel forks begin far apart) and stepping on, each checked free on loopback and on every address.
 */
final class TestPorts {

  private static final int LOW = 10_000;
  private static final int HIGH = 32_000;
  private static final AtomicInteger NEXT = new AtomicInteger(LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW));

  private TestPorts() {
  }

  /** A port outside the ephemeral range that nothing listens on now, never the same twice in this JVM. */
  static int free() throws IOException {
    for (int tries = 0; tries < HIGH - LOW; tries++) {
      int port = LOW + Math.floorMod(NEXT.getAndIncrement() - LOW, HIGH - LOW);
      if (bindable(port)) {
        return port;
      }
    }
    throw new IOException("no free port in " + LOW + ".." + HIGH);
  }

  private static boolean bindable(int port) {
    try (ServerSocket any = new ServerSocket(port)) {
      any.getLocalPort();
    } catch (IOException taken) {
      return false;
    }
    try (ServerSocket loopback = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return loopback.getLocalPort() == port;
    } catch (IOException taken) {
      return false;
    }
  }
}

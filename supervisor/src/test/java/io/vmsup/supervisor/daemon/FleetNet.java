package io.vmsup.supervisor.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real network for fleet members: a hub namespace with a bridge, and per member a namespace of its own joined to
 * the hub by a veth pair (member side {@code eth0} with {@code 10.77.0.N/24}, hub side {@code vN} on the bridge).
 * {@link #cut} takes a member's hub-side link down: its packets go nowhere, as with a pulled cable. Nothing is made
 * outside these namespaces; {@link #close} deletes them (and so every link in them).
 */
final class FleetNet implements AutoCloseable {

  private final String prefix = "vf" + ProcessHandle.current().pid() % 100000;
  private final String hub = prefix + "hub";
  private final Map<String, Integer> members = new LinkedHashMap<>();

  FleetNet(String... hosts) throws IOException {
    run("ip", "netns", "add", hub);
    run("ip", "-n", hub, "link", "add", "br0", "type", "bridge");
    run("ip", "-n", hub, "link", "set", "br0", "up");
    int n = 0;
    for (String h : hosts) {
      n++;
      members.put(h, n);
      String ns = ns(h);
      run("ip", "netns", "add", ns);
      run("ip", "-n", ns, "link", "set", "lo", "up");
      run("ip", "-n", hub, "link", "add", "v" + n, "type", "veth", "peer", "name", "eth0", "netns", ns);
      run("ip", "-n", hub, "link", "set", "v" + n, "master", "br0");
      run("ip", "-n", hub, "link", "set", "v" + n, "up");
      run("ip", "-n", ns, "addr", "add", address(h) + "/24", "dev", "eth0");
      run("ip", "-n", ns, "link", "set", "eth0", "up");
    }
  }

  String ns(String host) {
    return prefix + host;
  }

  String address(String host) {
    return "10.77.0." + members.get(host);
  }

  List<String> exec(String host) {
    return List.of("ip", "netns", "exec", ns(host));
  }

  /** Takes the member's link to the hub down (both directions: its packets are dropped). */
  void cut(String host) throws IOException {
    run("ip", "-n", hub, "link", "set", "v" + members.get(host), "down");
  }

  void heal(String host) throws IOException {
    run("ip", "-n", hub, "link", "set", "v" + members.get(host), "up");
  }

  /** curl inside the member's namespace: status line last. */
  String curl(String host, String token, String method, String url, String body) throws IOException {
    List<String> cmd = new ArrayList<>(exec(host));
    cmd.addAll(List.of("curl", "-sS", "-m", "60", "-X", method, "-w", "\n%{http_code}", "-H",
        "Authorization: Bearer " + token, "-H", "Content-Type: application/json"));
    if (body != null) {
      cmd.addAll(List.of("--data-binary", body));
    }
    cmd.add(url);
    return run(cmd.toArray(new String[0]));
  }

  /** Follows the Server-Sent Events at {@code url} from inside the member's namespace. */
  NetEvents follow(String host, String token, String url) throws IOException {
    List<String> cmd = new ArrayList<>(exec(host));
    cmd.addAll(List.of("curl", "-sS", "-N", "-H", "Authorization: Bearer " + token, url));
    return new NetEvents(cmd);
  }

  @Override
  public void close() throws IOException {
    for (String h : members.keySet()) {
      result("ip", "netns", "delete", ns(h));
    }
    result("ip", "netns", "delete", hub);
  }

  static String run(String... argv) throws IOException {
    String[] r = result(argv);
    if (!r[0].equals("0")) {
      throw new AssertionError(String.join(" ", argv) + " exited " + r[0] + ": " + r[1]);
    }
    return r[1];
  }

  private static String[] result(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", argv) + " did not end within 90 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new String[] {String.valueOf(p.exitValue()), out};
  }
}

package io.vmsup.supervisor.daemon;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.cluster.ClusterInit;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet of {@code vmsup run --cluster} processes on loopback for one test: certificates from {@code vmsup cluster
 * init}, a membership and an event-bus port per member (free ports), a state directory each. Members are stopped by
 * the {@link DaemonExtension} after the test.
 */
final class FleetRig {

  /** One running member. */
  record Member(String host, DaemonProcess process, String url, ApiClient api, Path state, int port, int busPort) {

    JsonObject ok(String method, String path, String body) throws IOException {
      ApiClient.Response r = api.send(method, path, body);
      if (r.status() >= 300) {
        throw new AssertionError(method + " " + path + " on " + host + ": " + r.status() + " " + r.body());
      }
      return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
    }
  }

  private final DaemonExtension daemons;
  private final Path certs;
  private final Map<String, int[]> ports = new LinkedHashMap<>();
  final Map<String, Member> members = new LinkedHashMap<>();

  FleetRig(DaemonExtension daemons, String... hosts) throws Exception {
    this.daemons = daemons;
    this.certs = daemons.dir("certs");
    ClusterInit.run(certs, List.of(hosts), List.of("127.0.0.1"), new PrintStream(OutputStream.nullOutputStream()));
    for (String h : hosts) {
      ports.put(h, new int[] {freePort(), freePort()});
    }
  }

  Path certs() {
    return certs;
  }

  /** Every member's membership address: the join list. */
  String joinList() {
    List<String> list = new ArrayList<>();
    ports.values().forEach(p -> list.add("127.0.0.1:" + p[0]));
    return String.join(",", list);
  }

  /** Starts {@code host} (after the members started before it: one joins at a time) and waits until it listens. */
  Member start(String host, String... extra) throws Exception {
    DaemonProcess p = launch(host, extra);
    // a member joins the cluster before it listens; on a loaded machine that takes a while
    String url = p.url(300);
    Path state = daemons.dir("state-" + host);
    Member m = new Member(host, p, url, new ApiClient(url, Files.readString(state.resolve("token")).trim()), state,
        ports.get(host)[0], ports.get(host)[1]);
    members.put(host, m);
    return m;
  }

  /** Starts {@code host} without waiting (a start that is expected to be refused). */
  DaemonProcess launch(String host, String... extra) throws Exception {
    int[] p = ports.get(host);
    List<String> args = new ArrayList<>(List.of("--cluster", "--host-id", host, "--cluster-tls-dir",
        certs.resolve(host).toString(), "--cluster-port", String.valueOf(p[0]), "--cluster-bus-port",
        String.valueOf(p[1]), "--cluster-members", joinList(), "--cluster-failure-seconds", "4"));
    args.addAll(List.of(extra));
    DaemonProcess d = DaemonProcess.start(daemons.dir("state-" + host), args);
    daemons.closeAfter(() -> {
      if (d.process.isAlive()) {
        d.terminate();
      }
    });
    return d;
  }

  Member member(String host) {
    return members.get(host);
  }

  static int freePort() throws IOException {
    return TestPorts.free();
  }
}

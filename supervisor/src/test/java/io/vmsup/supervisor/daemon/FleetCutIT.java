package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.cluster.ClusterInit;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Self-fencing on a real network cut: three daemons, each in a network namespace of its own joined to a hub bridge
 * by a veth pair (real Hazelcast members on 10.77.0.N), each with its fencing watchdog. The owner of a relocatable
 * VM has its link taken down: its daemon keeps running, but once its failure detector has removed the others it no
 * longer stands (one of three hosts), stops renewing its lease, and its watchdog kills the relocatable QEMU — the
 * VM that only waits for its host keeps running — and its restart policy's attempt is refused while it is cut off.
 * The other two relocate the VM, and its new QEMU starts after the old one was killed. Then the link heals: the
 * member merges back, finds the VM owned by another host at generation 2 and fences its record ({@code fenced}
 * after {@code relocated} after {@code host-lost}), the fleet is whole again, and the VM that waited for its host
 * shows its real state (RUNNING, the same QEMU) on every member.
 */
class FleetCutIT {

  private static final Duration CONVERGE = Duration.ofSeconds(150);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private final Map<String, DaemonProcess> procs = new LinkedHashMap<>();
  private final Map<String, String> urls = new LinkedHashMap<>();
  private FleetNet net;

  @Test
  void aMemberCutOffSelfFencesTheOthersRelocateAndTheHealedMemberYields() throws Exception {
    List<String> hosts = List.of("ca", "cb", "cc");
    net = new FleetNet(hosts.toArray(new String[0]));
    daemons.closeAfter(net::close);
    Path certs = daemons.dir("certs");
    List<String> addresses = hosts.stream().map(net::address).toList();
    ClusterInit.run(certs, hosts, addresses, new PrintStream(OutputStream.nullOutputStream()));
    String join = String.join(",", addresses.stream().map(a -> a + ":5701").toList());
    for (String h : hosts) {
      List<String> args = new ArrayList<>(List.of("--cluster", "--host-id", h, "--cluster-tls-dir",
          certs.resolve(h).toString(), "--cluster-host", net.address(h), "--cluster-members", join,
          "--cluster-failure-seconds", "4", "--fence", "on", "--fence-after", "4"));
      DaemonProcess p = DaemonProcess.startIn(net.exec(h), daemons.dir("state-" + h), args);
      daemons.closeAfter(() -> {
        if (p.process.isAlive()) {
          p.process.destroyForcibly();
        }
      });
      procs.put(h, p);
      urls.put(h, p.url(300));
    }
    Await.until("three hosts up", () -> hosts.stream().allMatch(h -> up(h) == 3), CONVERGE);

    JsonObject mover = TestSpecs.machineNone("cutvm").put("placement", new JsonObject().put("host", "ca"))
        .put("supervision", new JsonObject().put("onHostLoss", "relocate").put("restart", "on-failure"));
    JsonObject stay = TestSpecs.machineNone("staying").put("placement", new JsonObject().put("host", "ca"));
    call("cb", 201, "POST", "/v1/vms", mover.encode());
    call("cb", 201, "POST", "/v1/vms", stay.encode());
    long moverPid = call("cb", 200, "POST", "/v1/vms/cutvm/start", null).getLong("pid");
    long stayPid = call("cb", 200, "POST", "/v1/vms/staying/start", null).getLong("pid");
    call("cb", 201, "POST", "/v1/vms", TestSpecs.machineNone("flipper")
        .put("placement", new JsonObject().put("host", "ca")).encode());
    long flipPid = call("cb", 200, "POST", "/v1/vms/flipper/start", null).getLong("pid");
    // a VM that waits for its host outlives its daemon: the test ends it
    daemons.closeAfter(() -> ProcessHandle.of(stayPid).ifPresent(ProcessHandle::destroyForcibly));
    daemons.closeAfter(() -> ProcessHandle.of(flipPid).ifPresent(ProcessHandle::destroyForcibly));
    Path stateA = daemons.dir("state-ca");
    Await.until("ca's watchdog guards cutvm", () -> RelocationIT.read(stateA.resolve("fence/watchdog.log"))
        .contains("guarding [cutvm]"), CONVERGE);

    Sampler copies = Sampler.start(daemons, "cutvm");
    NetEvents events = net.follow("cb", token("cb"), urls.get("cb") + "/v1/events");
    daemons.closeAfter(events::close);
    Await.until("cb's event stream subscribed", events::subscribed, CONVERGE);
    NetEvents own = net.follow("ca", token("ca"), urls.get("ca") + "/v1/events");
    daemons.closeAfter(own::close);
    Await.until("ca's event stream subscribed", own::subscribed, CONVERGE);
    net.cut("ca");

    Await.until("ca's watchdog killed cutvm", () -> RelocationIT.read(stateA.resolve("fence/fenced.log"))
        .contains("\"cutvm\""), CONVERGE);
    JsonObject fenced = new JsonObject(Files.readAllLines(stateA.resolve("fence/fenced.log")).get(0));
    assertThat(fenced.getLong("pid")).isEqualTo(moverPid);
    assertThat(fenced.getString("outcome")).isEqualTo("killed");
    assertThat(procs.get("ca").process.isAlive()).as("ca's daemon runs on: it fenced itself").isTrue();
    Await.until("cutvm RUNNING on cb or cc", () -> {
      JsonObject v = get("cb", "/v1/vms/cutvm");
      return "RUNNING".equals(v.getString("state")) && List.of("cb", "cc").contains(v.getString("host"));
    }, CONVERGE);
    JsonObject moved = get("cb", "/v1/vms/cutvm");
    assertThat(moved.getLong("generation")).isEqualTo(2L);
    assertThat(Instant.parse(fenced.getString("at"))).isBefore(Instant.parse(moved.getString("startedAt")));
    assertThat(FenceIT.alive(moverPid)).isFalse();
    assertThat(FenceIT.alive(stayPid)).as("the VM that waits for its host runs on").isTrue();
    assertThat(RelocationIT.qemusNamed("cutvm")).isSubsetOf(moved.getLong("pid"));
    String logA = procs.get("ca").text();
    assertThat(logA).contains("not renewing the lease (this member is cut off)");
    Await.until("ca's restart of cutvm refused while cut off", () -> procs.get("ca").text()
        .contains("this member is cut off from the fleet's majority"), CONVERGE);

    // the link heals: ca merges back, finds cutvm owned by another host at generation 2 and fences its record;
    // the VM that waited for its host shows its real state (the same QEMU) on every member again
    net.heal("ca");
    // flipper's state changes while ca merges back (MergeGate holds them until every member's view of the
    // subscribers is new) reach cb's stream too, all of them, in ca's order
    assertThat(flipWhileMerging()).as("flipper paused or resumed while ca's gate was shut").isPositive();
    Await.until("the fleet is whole again", () -> hosts.stream().allMatch(h -> up(h) == 3), CONVERGE);
    call("ca", 200, "POST", "/v1/vms/flipper/pause", null);
    call("ca", 200, "POST", "/v1/vms/flipper/resume", null);
    Await.until("ca's last flip on its own stream", () -> flips(own).size() >= 2, CONVERGE);
    JsonObject last = flips(own).get(flips(own).size() - 1);
    Await.until("ca's last flip on cb's stream", () -> flips(events).contains(last), CONVERGE);
    assertThat(flips(events)).as("flipper's changes on cb's stream, as on ca's").isEqualTo(flips(own));
    // ca fences its stale record and publishes 'fenced', after the merge and after every member read again who
    // subscribes to the events (MergeGate, SubscriberViews): cb's stream gets it, after host-lost and relocated
    String fencedLine = "vm=cutvm fenced host=ca owner=" + moved.getString("host") + " generation=2";
    Await.until("ca fenced its stale cutvm", () -> procs.get("ca").text().contains(fencedLine), CONVERGE);
    Await.until("ca's fenced event on cb's stream", () -> events.any(e -> "cutvm".equals(e.getString("vm"))
        && "fenced".equals(e.getString("type"))), CONVERGE);
    List<JsonObject> seen = events.seen();
    int lost = indexOf(seen, e -> "cutvm".equals(e.getString("vm")) && "host-lost".equals(e.getString("reason")));
    int relocated = indexOf(seen, e -> "cutvm".equals(e.getString("vm")) && "relocated".equals(e.getString("type")));
    assertThat(lost).as("cutvm host-lost in %s", seen).isGreaterThanOrEqualTo(0);
    assertThat(relocated).as("relocated after host-lost in %s", seen).isGreaterThan(lost);
    assertThat(indexOf(seen, e -> "cutvm".equals(e.getString("vm")) && "fenced".equals(e.getString("type"))))
        .as("fenced after relocated in %s", seen).isGreaterThan(relocated);
    // staying's host-lost is ended by the reporter (cb: it kept its majority) once ca is back: host-back, RUNNING
    Await.until("staying back RUNNING", () -> events.any(e -> "staying".equals(e.getString("vm"))
        && "host-back".equals(e.getString("reason"))), CONVERGE);
    List<JsonObject> all = events.seen();
    int stayLost = indexOf(all, e -> "staying".equals(e.getString("vm")) && "host-lost".equals(e.getString("reason")));
    int stayBack = indexOf(all, e -> "staying".equals(e.getString("vm")) && "host-back".equals(e.getString("reason")));
    assertThat(stayLost).as("staying host-lost in %s", all).isGreaterThanOrEqualTo(0);
    assertThat(stayBack).as("host-back after host-lost in %s", all).isGreaterThan(stayLost);
    assertThat(all.get(stayBack).getString("to")).isEqualTo("RUNNING");
    assertThat(all.get(stayBack).getString("host")).isEqualTo("ca");
    assertThat(all).as("no host-back for the relocated VM").noneMatch(e -> "cutvm".equals(e.getString("vm"))
        && "host-back".equals(e.getString("reason")));
    for (String h : hosts) {
      Await.until(h + " shows staying RUNNING on ca, the same QEMU, and cutvm once, on its owner",
          () -> healed(h, moved.getString("host"), stayPid), CONVERGE);
    }
    assertThat(procs.get("ca").text()).contains("this host's copy is fenced and its record deleted");
    assertThat(RelocationIT.qemusNamed("cutvm")).containsExactly(get("cb", "/v1/vms/cutvm").getLong("pid"));
    assertThat(copies.most()).as("QEMUs named cutvm at once, sampled all along").isEqualTo(1);
    call(moved.getString("host"), 200, "POST", "/v1/vms/cutvm/kill", null);
  }

  /**
   * Pauses and resumes flipper on ca from the moment ca's merge gate shut until it opened again; the number of changes
   * that completed while the gate was still shut (as far as ca's log, read after each reply, tells).
   */
  private int flipWhileMerging() throws Exception {
    DaemonProcess ca = procs.get("ca");
    Await.until("ca's merge gate shut", () -> ca.text().contains("merge under way: holding"), CONVERGE);
    long guard = System.nanoTime() + CONVERGE.toNanos();
    boolean paused = false;
    int shut = 0;
    while (!ca.text().contains("merge ended (") && System.nanoTime() < guard) {
      try {
        call("ca", 200, "POST", "/v1/vms/flipper/" + (paused ? "resume" : "pause"), null);
        paused = !paused;
        shut += ca.text().contains("merge ended (") ? 0 : 1;
      } catch (AssertionError refusedMeanwhile) {
        // the merge under way may make the request fail: it did not change the state
      }
    }
    if (paused) {
      call("ca", 200, "POST", "/v1/vms/flipper/resume", null);
    }
    return shut;
  }

  /** flipper's pause and resume events on {@code stream}, in order. */
  private static List<JsonObject> flips(NetEvents stream) {
    return stream.seen().stream().filter(e -> "flipper".equals(e.getString("vm")) && "state".equals(e.getString("type"))
        && ("PAUSED".equals(e.getString("to")) || "PAUSED".equals(e.getString("from")))).toList();
  }

  /** {@code host} shows staying as before the cut and cutvm once, on its new owner. */
  private boolean healed(String host, String owner, long stayPid) {
    try {
      JsonObject v = get(host, "/v1/vms/staying");
      JsonObject c = get(host, "/v1/vms/cutvm");
      return "RUNNING".equals(v.getString("state")) && "ca".equals(v.getString("host"))
          && Long.valueOf(stayPid).equals(v.getLong("pid")) && owner.equals(c.getString("host"))
          && get(host, "/v1/vms").getJsonArray("vms").stream()
              .filter(o -> "cutvm".equals(((JsonObject) o).getString("name"))).count() == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static int indexOf(List<JsonObject> events, java.util.function.Predicate<JsonObject> match) {
    for (int i = 0; i < events.size(); i++) {
      if (match.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private String token(String host) throws Exception {
    return Files.readString(daemons.dir("state-" + host).resolve("token")).trim();
  }

  private int up(String host) {
    try {
      return (int) call(host, 200, "GET", "/v1/hosts", null).getJsonArray("hosts").stream()
          .filter(o -> "up".equals(((JsonObject) o).getString("state"))).count();
    } catch (Throwable t) {
      return 0;
    }
  }

  private JsonObject get(String host, String path) {
    try {
      return call(host, 200, "GET", path, null);
    } catch (Throwable t) {
      return new JsonObject();
    }
  }

  private JsonObject call(String host, int status, String method, String path, String body) throws Exception {
    String token = Files.readString(daemons.dir("state-" + host).resolve("token")).trim();
    String out = net.curl(host, token, method, urls.get(host) + path, body);
    int nl = out.lastIndexOf('\n');
    int got = Integer.parseInt(out.substring(nl + 1).trim());
    if (got != status) {
      throw new AssertionError(method + " " + path + " on " + host + ": " + got + " " + out.substring(0, nl));
    }
    String text = out.substring(0, nl);
    return text.isBlank() ? new JsonObject() : new JsonObject(text);
  }
}

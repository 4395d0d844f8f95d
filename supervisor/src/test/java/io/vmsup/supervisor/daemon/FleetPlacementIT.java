package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.daemon.FleetRig.Member;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Placement, cordon and labels across two members, then the loss of one: kill -9 of its daemon leaves its VM
 * {@code UNKNOWN host-lost} on the other (get, list, an event), and the restarted daemon re-attaches it (same pid).
 */
class FleetPlacementIT {

  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void placementCordonLabelsAndAHostLostAndBack() throws Exception {
    FleetRig fleet = new FleetRig(daemons, "pa", "pb");
    Member a = fleet.start("pa", "--host-labels", "disk=ssd");
    Member b = fleet.start("pb", "--host-labels", "disk=hdd");
    Await.until("two hosts up", () -> FleetIT.upHosts(a).size() == 2 && FleetIT.upHosts(b).size() == 2, CONVERGE);

    assertThat(create(a, "on-b", new JsonObject().put("host", "pb")).getString("host")).isEqualTo("pb");
    assertThat(create(b, "on-ssd", new JsonObject().put("labels", new JsonObject().put("disk", "ssd")))
        .getString("host")).isEqualTo("pa");
    JsonObject nowhere = problem(a, "nvme", new JsonObject().put("labels", new JsonObject().put("disk", "nvme")));
    assertThat(nowhere.getJsonObject("hosts").getString("pa")).contains("lacks the labels disk=nvme");
    assertThat(nowhere.getJsonObject("hosts").getString("pb")).contains("lacks the labels disk=nvme");
    JsonObject unknownHost = problem(a, "lost1", new JsonObject().put("host", "pz"));
    assertThat(unknownHost.getJsonObject("hosts").getString("pz")).isEqualTo("no such host in the fleet");

    // placement is stored with the VM and never reaches QEMU
    JsonObject stored = a.ok("GET", "/v1/vms/on-b", null);
    assertThat(stored.getJsonObject("spec").getJsonObject("placement").getString("host")).isEqualTo("pb");
    assertThat(a.ok("GET", "/v1/vms/on-b/argv", null).getJsonArray("argv").encode())
        .doesNotContain("placement", "\"pb\"");

    // cordon through the CLI of the other member; `vmsup hosts` shows it on every member
    assertThat(cli(b, "hosts", "cordon", "pa")).contains("\"cordoned\" : true");
    JsonObject cordoned = problem(b, "c1", new JsonObject().put("labels", new JsonObject().put("disk", "ssd")));
    assertThat(cordoned.getJsonObject("hosts").getString("pa")).isEqualTo("cordoned");
    assertThat(FleetIT.upHosts(a).get("pa").getBoolean("cordoned")).isTrue();
    assertThat(create(b, "c1", null).getString("host")).isEqualTo("pb");
    List<String> table = cli(a, "hosts").lines().toList();
    assertThat(table.get(0)).matches("HOST +STATE +CORDONED +VMS +CPUS +MEMORY +AVAILABLE +COMMITTED +QEMU +KVM"
        + " +JOINED +LABELS");
    assertThat(table.get(1)).matches("pa +up +yes +\\d+ +\\d+ +[\\d.]+[KMGT] +[\\d.]+[KMGT] +[\\d.]+[BKMGT] +\\S+ +(yes|no)"
        + " +\\S+ +disk=ssd");
    assertThat(table.get(2)).matches("pb +up +no .* disk=hdd");
    assertThat(new JsonObject(cli(b, "hosts", "--json")).getJsonArray("hosts")).hasSize(2);
    cli(a, "hosts", "uncordon", "pa");
    assertThat(create(b, "c2", new JsonObject().put("host", "pa")).getString("host")).isEqualTo("pa");

    // without placement: the host with the most memory left after committed memory (pa commits 2 GiB now)
    JsonObject big = TestSpecs.machineNone("big").put("memory", new JsonObject().put("size", "2G"))
        .put("placement", new JsonObject().put("host", "pa"));
    a.ok("POST", "/v1/vms", big.encode());
    a.ok("POST", "/v1/vms/big/start", null);
    Await.until("pa's committed memory shows", () -> FleetIT.upHosts(b).get("pa")
        .getLong("memoryCommittedBytes") >= 2L << 30, CONVERGE);
    assertThat(create(a, "free1", null).getString("host")).isEqualTo("pb");
    a.ok("POST", "/v1/vms/big/kill", null);

    // labels filter a list on every member
    a.ok("POST", "/v1/vms", TestSpecs.machineNone("web1").put("labels", new JsonObject().put("team", "web"))
        .put("placement", new JsonObject().put("host", "pb")).encode());
    for (Member m : List.of(a, b)) {
      JsonArray web = m.ok("GET", "/v1/vms?labels=team=web", null).getJsonArray("vms");
      assertThat(web).hasSize(1);
      assertThat(web.getJsonObject(0).getString("name")).isEqualTo("web1");
    }

    // host loss: kill -9 of pb's daemon; its QEMU runs on
    long pid = a.ok("POST", "/v1/vms/on-b/start", null).getLong("pid");
    HttpClient sse = daemons.httpClient();
    SseRecorder events = Await.result(SseRecorder.open(sse, a.url(), "/v1/vms/on-b/events", FleetIT.token(a)));
    b.process().process.destroyForcibly();
    List<JsonObject> seen = Await.result(events.until(SseRecorder.state("on-b", "UNKNOWN")), CONVERGE);
    assertThat(seen).filteredOn(SseRecorder.state("on-b", "UNKNOWN")).singleElement()
        .satisfies(e -> assertThat(e.getString("reason")).isEqualTo("host-lost"))
        .satisfies(e -> assertThat(e.getString("from")).isEqualTo("RUNNING"))
        .satisfies(e -> assertThat(e.getString("host")).isEqualTo("pb"));
    JsonObject lost = a.ok("GET", "/v1/vms/on-b", null);
    assertThat(lost.getString("state")).isEqualTo("UNKNOWN");
    assertThat(lost.getString("reason")).isEqualTo("host-lost");
    assertThat(a.ok("GET", "/v1/vms", null).getJsonArray("vms").stream().map(o -> (JsonObject) o)
        .filter(v -> v.getString("host").equals("pb"))).allMatch(v -> v.getString("state").equals("UNKNOWN"));
    assertThat(FleetIT.upHosts(a)).containsOnlyKeys("pa");
    assertThat(cli(a, "hosts").lines()).anyMatch(l -> l.matches("pb +lost +no +- +- +- +- +- +- +- +\\S+ +disk=hdd"));
    assertThat(a.api().send("POST", "/v1/vms/on-b/stop", null).status()).isEqualTo(503);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);

    Member back = fleet.start("pb", "--host-labels", "disk=hdd");
    Await.until("pb back with its VM", () -> {
      ApiClient.Response r = a.api().send("GET", "/v1/vms/on-b", null);
      return r.status() == 200 && new JsonObject(r.body()).getString("state").equals("RUNNING");
    }, CONVERGE);
    assertThat(a.ok("GET", "/v1/vms/on-b", null).getLong("pid")).isEqualTo(pid);
    // the re-attach's own event (published on pb) reaches a's subscriber after the host-lost one
    List<JsonObject> all = Await.result(events.until(SseRecorder.state("on-b", "RUNNING")
        .and(e -> "pb".equals(e.getString("host")) && !"qmp-ready".equals(e.getString("reason")))), CONVERGE);
    int lostAt = indexOf(all, SseRecorder.state("on-b", "UNKNOWN"));
    assertThat(all.subList(lostAt, all.size())).anyMatch(SseRecorder.state("on-b", "RUNNING"));
    back.ok("POST", "/v1/vms/on-b/kill", null);
  }

  /** {@code vmsup ARGS} against {@code via} (the CLI in this JVM): its standard output; a failure is one. */
  private static String cli(Member via, String... args) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int exit = io.vmsup.supervisor.cli.VmsupCli.run(args, java.util.Map.of("VMSUP_URL", via.url(), "VMSUP_TOKEN",
        FleetIT.token(via)), java.io.InputStream.nullInputStream(), new java.io.PrintStream(out, true),
        new java.io.PrintStream(err, true));
    assertThat(exit).as("vmsup %s: %s", String.join(" ", args), err).isZero();
    return out.toString();
  }

  private static int indexOf(List<JsonObject> events, java.util.function.Predicate<JsonObject> match) {
    for (int i = 0; i < events.size(); i++) {
      if (match.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static JsonObject create(Member via, String name, JsonObject placement) throws Exception {
    JsonObject spec = TestSpecs.machineNone(name);
    if (placement != null) {
      spec.put("placement", placement);
    }
    return via.ok("POST", "/v1/vms", spec.encode());
  }

  private static JsonObject problem(Member via, String name, JsonObject placement) throws Exception {
    ApiClient.Response r = via.api().send("POST", "/v1/vms", TestSpecs.machineNone(name).put("placement", placement)
        .encode());
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    return new JsonObject(r.body());
  }
}

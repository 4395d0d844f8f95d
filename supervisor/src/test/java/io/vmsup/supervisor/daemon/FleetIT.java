package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.daemon.FleetRig.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three {@code vmsup run --cluster} processes on loopback, one fleet: every VM is reached from every member, the
 * answers are those of a single host plus {@code host}, names are unique across the fleet, events carry their host
 * and reach every member. Machine {@code none} QEMUs keep it lean.
 */
class FleetIT {

  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void everyMemberServesEveryVmWithTheOwnersAnswers() throws Exception {
    FleetRig fleet = new FleetRig(daemons, "ha", "hb", "hc");
    List<Member> all = List.of(fleet.start("ha"), fleet.start("hb"), fleet.start("hc"));
    for (Member m : all) {
      Await.until(m.host() + " sees three hosts up", () -> upHosts(m).size() == 3, CONVERGE);
    }
    JsonObject hostA = upHosts(all.get(0)).get("ha");
    assertThat(hostA.getInteger("cpus")).isPositive();
    assertThat(hostA.getLong("memoryTotalBytes")).isPositive();
    assertThat(hostA.getString("qemuVersion")).startsWith("7.");
    assertThat(hostA.getJsonObject("addresses").getString("bus")).isEqualTo("127.0.0.1:" + fleet.member("ha")
        .busPort());

    // one VM created through each member; the host it lands on is the fleet's choice
    Map<String, String> owners = new TreeMap<>();
    for (Member m : all) {
      JsonObject created = m.ok("POST", "/v1/vms", TestSpecs.machineNone("f-" + m.host()).encode());
      assertThat(created.getString("state")).isEqualTo("DEFINED");
      owners.put(created.getString("name"), created.getString("host"));
    }
    assertThat(owners.values()).allMatch(h -> h.matches("h[abc]"));
    for (Member m : all) {
      JsonArray vms = m.ok("GET", "/v1/vms", null).getJsonArray("vms");
      Map<String, String> listed = new TreeMap<>();
      vms.forEach(o -> listed.put(((JsonObject) o).getString("name"), ((JsonObject) o).getString("host")));
      assertThat(listed).as("list on " + m.host()).isEqualTo(owners);
    }

    HttpClient sse = daemons.httpClient();
    for (var vm : owners.entrySet()) {
      String name = vm.getKey();
      List<Member> others = all.stream().filter(m -> !m.host().equals(vm.getValue())).toList();
      Member via = others.get(0);
      SseRecorder events = Await.result(SseRecorder.open(sse, via.url(), "/v1/events",
          token(via)));
      JsonObject started = via.ok("POST", "/v1/vms/" + name + "/start", null);
      assertThat(started.getString("state")).isEqualTo("RUNNING");
      assertThat(started.getString("host")).isEqualTo(vm.getValue());
      long pid = started.getLong("pid");
      JsonObject got = others.get(1).ok("GET", "/v1/vms/" + name, null);
      assertThat(got.getLong("pid")).isEqualTo(pid);
      assertThat(got.getString("host")).isEqualTo(vm.getValue());
      JsonObject status = via.ok("POST", "/v1/vms/" + name + "/qmp",
          new JsonObject().put("execute", "query-status").encode());
      assertThat(status.getJsonObject("return").getString("status")).isEqualTo("running");
      List<JsonObject> seen = Await.result(events.until(SseRecorder.state(name, "RUNNING")));
      assertThat(seen).filteredOn(SseRecorder.state(name, "RUNNING")).singleElement()
          .extracting(e -> e.getString("host")).isEqualTo(vm.getValue());
      JsonObject stopped = others.get(1).ok("POST", "/v1/vms/" + name + "/kill", null);
      assertThat(stopped.getString("state")).isIn("STOPPED", "CRASHED");
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    for (Member m : all) {
      PrometheusText metrics = new PrometheusText(m.api().send("GET", "/metrics", null).body());
      assertThat(metrics.value("vmsup_cluster_members")).hasValue(3.0);
      assertThat(metrics.value("vmsup_host_memory_committed_bytes")).hasValue(0.0);
      assertThat(metrics.names()).contains("vmsup_cluster_forward_duration_seconds_count");
    }
    for (Member m : all) {
      ApiClient.Response missing = m.api().send("GET", "/v1/vms/nowhere", null);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.body()).contains("no VM named 'nowhere'");
      String taken = owners.keySet().iterator().next();
      ApiClient.Response again = m.api().send("POST", "/v1/vms", TestSpecs.machineNone(taken).encode());
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.body()).contains("exists on host '" + owners.get(taken) + "'");
    }
  }

  @Test
  void aNameRacingFromTwoMembersIsCreatedOnce() throws Exception {
    FleetRig fleet = new FleetRig(daemons, "ra", "rb");
    Member a = fleet.start("ra");
    Member b = fleet.start("rb");
    Await.until("two hosts up", () -> upHosts(a).size() == 2 && upHosts(b).size() == 2, CONVERGE);
    for (int round = 0; round < 5; round++) {
      String spec = TestSpecs.machineNone("race" + round).encode();
      List<CompletableFuture<ApiClient.Response>> both = new ArrayList<>();
      for (Member m : List.of(a, b)) {
        both.add(CompletableFuture.supplyAsync(() -> {
          try {
            return m.api().send("POST", "/v1/vms", spec);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      List<Integer> statuses = new ArrayList<>();
      for (var f : both) {
        statuses.add(f.get().status());
      }
      assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(201, 409);
      JsonArray listed = a.ok("GET", "/v1/vms", null).getJsonArray("vms");
      assertThat(listed.stream().filter(o -> ((JsonObject) o).getString("name").equals("race" + 0))).hasSize(1);
    }
  }

  static String token(Member m) throws Exception {
    return java.nio.file.Files.readString(m.state().resolve("token")).trim();
  }

  /** The hosts a member lists as up, by id. */
  static Map<String, JsonObject> upHosts(Member m) throws Exception {
    Map<String, JsonObject> up = new TreeMap<>();
    ApiClient.Response r = m.api().send("GET", "/v1/hosts", null);
    if (r.status() != 200) {
      return up;
    }
    new JsonObject(r.body()).getJsonArray("hosts").forEach(o -> {
      JsonObject h = (JsonObject) o;
      if ("up".equals(h.getString("state"))) {
        up.put(h.getString("host"), h);
      }
    });
    return up;
  }
}

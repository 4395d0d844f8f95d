package io.vmsup.supervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.cluster.ClusterSettings;
import io.vmsup.supervisor.daemon.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compose profile "fleet" (docs/fleet.md, "Docker Compose"): docker-compose accepts it, a plain {@code up} starts
 * none of it, each member's environment is a valid cluster configuration of the daemon (the same loader as
 * {@code vmsup run}) that binds to the member's own address on the private network and joins the other two, the
 * certificates the first start makes are for exactly those hosts and addresses, and Prometheus scrapes every member
 * with that member's token. ({@code DeploymentFilesTest} runs dclint on the file.)
 */
class FleetComposeTest {

  private static final List<String> MEMBERS = List.of("m1", "m2", "m3");

  /** The resolved compose file with the profile, as JSON (docker-compose config, then YAML to JSON). */
  private static JsonObject resolved() throws Exception {
    HostTools.Run config = HostTools.run(HostTools.ROOT, List.of(HostTools.dockerCompose().toString(), "-f",
        "docker-compose.yml", "--profile", "fleet", "config"), Map.of("GRAFANA_ADMIN_PASSWORD", "test-only"));
    assertThat(config.exit()).as(config.output()).isZero();
    Path yaml = java.nio.file.Files.createTempFile("compose", ".yml");
    try {
      java.nio.file.Files.writeString(yaml, config.output());
      HostTools.Run json = HostTools.run(HostTools.ROOT, List.of("python3", "-c", "import json,sys,yaml; "
          + "print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", yaml.toString()));
      assertThat(json.exit()).as(json.output()).isZero();
      return new JsonObject(json.output().trim());
    } finally {
      java.nio.file.Files.deleteIfExists(yaml);
    }
  }

  @Test
  void threeMembersJoinEachOtherOnTheirOwnAddressesWithTheirOwnCertificates() throws Exception {
    JsonObject services = resolved().getJsonObject("services");
    for (String plain : List.of("vmsup", "prometheus", "grafana")) {
      assertThat(services.getJsonObject(plain).containsKey("profiles")).as(plain).isFalse();
    }
    Map<String, String> addressOf = new HashMap<>();
    List<String> joinList = new ArrayList<>();
    for (String m : MEMBERS) {
      String ip = services.getJsonObject(m).getJsonObject("networks").getJsonObject("fleet")
          .getString("ipv4_address");
      addressOf.put(m, ip);
      joinList.add(ip + ":5701");
    }
    for (String m : MEMBERS) {
      JsonObject s = services.getJsonObject(m);
      assertThat(s.getJsonArray("profiles").getList()).containsExactly("fleet");
      Map<String, String> env = new HashMap<>();
      s.getJsonObject("environment").forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
      ConfigLoader.Result r = ConfigLoader.load(List.of(), env, false);
      assertThat(r.errors()).as(m).isEmpty();
      ClusterSettings c = r.config().cluster();
      assertThat(c.enabled()).isTrue();
      assertThat(c.hostId()).isEqualTo(m);
      assertThat(c.host()).isEqualTo(addressOf.get(m));
      assertThat(c.members()).containsExactlyInAnyOrderElementsOf(joinList);
      assertThat(c.port()).isEqualTo(5701);
      assertThat(c.keyFile()).isEqualTo(Path.of("/etc/vmsup/cluster", m, "member-key.pem"));
      assertThat(s.getJsonArray("volumes").getList()).contains("fleet-certs:/etc/vmsup/cluster:ro",
          "fleet-" + m + "-state:/var/lib/vmsup:rw");
      assertThat(s.getJsonObject("depends_on").getJsonObject("fleet-certs").getString("condition"))
          .isEqualTo("service_completed_successfully");
      assertThat(s.getJsonArray("ports").getList()).hasSize(1).allMatch(p -> ((String) p).startsWith("127.0.0.1:"));
    }
    String init = String.join(" ", services.getJsonObject("fleet-certs").getJsonArray("entrypoint").getList());
    assertThat(init).contains("cluster init --dir /certs --hosts m1,m2,m3", "--addresses " + String.join(",",
        addressOf.get("m1"), addressOf.get("m2"), addressOf.get("m3")), "chown -R 10001:10001 /certs");
    assertThat(services.getJsonObject("fleet-certs").getJsonArray("volumes").getList())
        .containsExactly("fleet-certs:/certs:rw");
  }

  @Test
  void prometheusScrapesEveryMemberWithItsOwnToken() throws Exception {
    JsonObject services = resolved().getJsonObject("services");
    JsonObject prom = services.getJsonObject("prometheus-fleet");
    assertThat(prom.getJsonArray("profiles").getList()).containsExactly("fleet");
    JsonArray volumes = prom.getJsonArray("volumes");
    Path config = HostTools.ROOT.resolve("deploy/prometheus/prometheus-fleet.yml");
    HostTools.Run syntax = HostTools.run(HostTools.ROOT, List.of(HostTools.promtool().toString(), "check", "config",
        "--syntax-only", config.toString()));
    assertThat(syntax.exit()).as(syntax.output()).isZero();
    HostTools.Run json = HostTools.run(HostTools.ROOT, List.of("python3", "-c", "import json,sys,yaml; "
        + "print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", config.toString()));
    JsonArray jobs = new JsonObject(json.output().trim()).getJsonArray("scrape_configs");
    assertThat(jobs).hasSize(MEMBERS.size());
    for (String m : MEMBERS) {
      String ip = services.getJsonObject(m).getJsonObject("networks").getJsonObject("fleet")
          .getString("ipv4_address");
      JsonObject job = jobs.stream().map(JsonObject.class::cast).filter(j -> j.getString("job_name")
          .equals("vmsup-" + m)).findFirst().orElseThrow();
      assertThat(job.getJsonArray("static_configs").getJsonObject(0).getJsonArray("targets").getList())
          .containsExactly(ip + ":7480");
      String tokenFile = job.getJsonObject("authorization").getString("credentials_file");
      assertThat(tokenFile).isEqualTo("/" + m + "-state/token");
      assertThat(volumes.getList()).contains("fleet-" + m + "-state:/" + m + "-state:ro");
    }
  }
}

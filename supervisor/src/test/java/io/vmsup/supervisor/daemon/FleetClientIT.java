package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.client.ApiClient;
import io.vmsup.supervisor.cluster.ClusterInit;
import io.vmsup.supervisor.daemon.FleetRig.Member;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two members, each with an image store of its own, and a third JVM as the "other service": it has only
 * vmsup-client, vertx-core and vertx-hazelcast on its class path ({@code FleetClientProbe}, run from its source), joins
 * the cluster with a member certificate of the fleet's CA, and drives a VM on host cb through the plain addresses:
 * create (placement), start, list, get on the host's own address, stop, state events as a ReadStream, typed
 * failures (409 naming the host, 404). Images and networks are per host: each host answers them on
 * {@code vmsup.host.<id>.image.*}, the plain address is the receiving member's (or the body's {@code host}), and a
 * VM's disks are made by the image store of the host that creates it.
 */
class FleetClientIT {

  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aServiceInItsOwnJvmDrivesAVmOnAnotherHostAndImagesStayPerHost() throws Exception {
    FleetRig fleet = new FleetRig(daemons, "ca", "cb");
    ClusterInit.run(fleet.certs(), List.of("svc"), List.of("127.0.0.1"),
        new PrintStream(OutputStream.nullOutputStream()));
    Member a = fleet.start("ca");
    // one token both members accept (each daemon keeps its own token file; a token of the fleet is fleet2's part):
    // a bus request is checked by whichever member receives it
    Path bToken = daemons.dir("state-cb").resolve("token");
    Files.writeString(bToken, FleetIT.token(a));
    Files.setPosixFilePermissions(bToken, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Member b = fleet.start("cb");
    Await.until("two hosts up", () -> FleetIT.upHosts(a).size() == 2 && FleetIT.upHosts(b).size() == 2, CONVERGE);

    importImage(a, "img-a");
    importImage(b, "img-b");
    for (int i = 0; i < 6; i++) {
      // before: the plain image addresses had a consumer on every member's image store and router alike
      JsonObject onA = a.ok("GET", "/v1/images", null);
      assertThat(names(onA.getJsonArray("images"))).containsExactly("img-a");
      assertThat(names(b.ok("GET", "/v1/images", null).getJsonArray("images"))).containsExactly("img-b");
    }
    // a VM's disks come from the store of the host that creates it, whichever member received the create
    JsonObject onB = a.ok("POST", "/v1/vms", diskVm("disk-b", "img-b", "cb").encode());
    assertThat(onB.getString("host")).isEqualTo("cb");
    assertThat(b.state().resolve("vms/disk-b/disks/root.qcow2")).exists();
    ApiClient.Response wrongHost = a.api().send("POST", "/v1/vms", diskVm("disk-a", "img-b", "ca").encode());
    assertThat(wrongHost.status()).as(wrongHost.body()).isEqualTo(400);
    assertThat(wrongHost.body()).contains("devices[0].image");

    Map<String, JsonObject> facts = probe(fleet, a, List.of(a, b));
    assertThat(facts.get("created").getString("host")).isEqualTo("cb");
    assertThat(facts.get("created").getString("state")).isEqualTo("DEFINED");
    assertThat(facts.get("started").getString("state")).isEqualTo("RUNNING");
    assertThat(facts.get("started").getLong("pid")).isPositive();
    assertThat(facts.get("listed").getJsonArray("vms").stream().map(o -> ((JsonObject) o).getString("name") + "@"
        + ((JsonObject) o).getString("host") + ":" + ((JsonObject) o).getString("state")))
        .contains("probe1@cb:RUNNING", "disk-b@cb:DEFINED");
    assertThat(facts.get("onHost").getString("state")).isEqualTo("RUNNING");
    assertThat(facts.get("stopped").getString("state")).isEqualTo("STOPPED");
    JsonObject conflict = facts.get("conflict");
    assertThat(conflict.getBoolean("failed")).isTrue();
    assertThat(conflict.getString("code")).isEqualTo("CONFLICT");
    assertThat(conflict.getInteger("wireCode")).isEqualTo(409);
    assertThat(conflict.getJsonObject("details").getString("host")).isEqualTo("cb");
    assertThat(facts.get("notFound").getString("code")).isEqualTo("NOT_FOUND");
    assertThat(facts.get("events").getJsonArray("transitions").getList()).containsSubsequence(
        "cb:DEFINED->STARTING", "cb:STARTING->RUNNING", "cb:RUNNING->STOPPING", "cb:STOPPING->STOPPED");
    assertThat(names(facts.get("imagesOnB").getJsonArray("images"))).containsExactly("img-b");
    assertThat(names(facts.get("imagesOnA").getJsonArray("images"))).containsExactly("img-a");
    assertThat(facts.get("imagesPlainB").getString("host")).isEqualTo("cb");
    assertThat(names(facts.get("imagesPlainB").getJsonArray("images"))).containsExactly("img-b");
    assertThat(facts).containsKey("done");
    assertThat(b.state().resolve("vms/probe1")).doesNotExist();
  }

  private static void importImage(Member m, String name) throws Exception {
    Path file = m.state().resolve(name + ".raw");
    Files.write(file, new byte[1 << 20]);
    m.ok("POST", "/v1/images", new JsonObject().put("name", name).put("path", file.toString())
        .put("format", "raw").encode());
  }

  private static JsonObject diskVm(String name, String image, String host) {
    return new JsonObject().put("name", name)
        .put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("devices", new JsonArray().add(new JsonObject().put("kind", "disk").put("id", "root")
            .put("image", image)))
        .put("placement", new JsonObject().put("host", host));
  }

  private static List<String> names(JsonArray items) {
    List<String> out = new ArrayList<>();
    items.forEach(o -> out.add(((JsonObject) o).getString("name")));
    return out;
  }

  /** Runs the probe in its own JVM (its source, compiled by the launcher) and returns its facts by name. */
  private Map<String, JsonObject> probe(FleetRig fleet, Member tokenOf, List<Member> members) throws Exception {
    List<String> join = new ArrayList<>();
    members.forEach(m -> join.add("127.0.0.1:" + m.port()));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", minimalClassPath(), Path.of("src/test/resources/fleet-client/FleetClientProbe.java")
        .toAbsolutePath().toString(), "127.0.0.1", fleet.certs().resolve("svc").toString(),
        tokenOf.state().resolve("token").toString(), String.valueOf(FleetRig.freePort()), String.join(",", join),
        "ca", "cb", "4"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    System.out.println("[probe] " + text.replace("\n", "\n[probe] "));
    assertThat(p.exitValue()).as(text).isZero();
    Map<String, JsonObject> facts = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("{\"fact\"")) {
        JsonObject f = new JsonObject(line);
        facts.put(f.getString("fact"), f.getJsonObject("detail"));
      }
    }
    return facts;
  }

  /** vmsup-client's classes, vertx-core with Netty and Jackson, vertx-hazelcast with Hazelcast: nothing else. */
  static String minimalClassPath() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> keep = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      if (e.contains("/client/target/") || e.contains("vertx-core") || e.contains("/netty")
          || e.contains("jackson-core") || e.contains("hazelcast")) {
        keep.add(entry);
      }
    }
    assertThat(String.join(" ", keep)).doesNotContain("/supervisor/target").contains("vertx-hazelcast");
    return String.join(File.pathSeparator, keep);
  }
}

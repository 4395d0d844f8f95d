package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.cluster.ClusterInit;
import io.vmsup.supervisor.daemon.FleetRig.Member;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fleet-wide tokens: a rogue that joins the cluster with a certificate of the cluster's own CA (a client
 * certificate, {@code cluster init --clients}: no fleet key) is a member of the bus, yet a message it sends without a
 * token counts for nothing — a forged {@code vmsup-scope: admin} header, a forged seal, the plain address through the
 * router — each refused 401 while the VM runs on; with the daemon's read token its kill is 403 (the token's scope,
 * not the forged header); with the admin token its get works (the route itself is open to a caller with a token). A
 * fake event it publishes never reaches a subscriber, while the daemons' own events do.
 */
class FleetRogueIT {

  private static final Duration CONVERGE = Duration.ofSeconds(120);

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  @Test
  void aRogueMemberWithoutATokenOrTheFleetKeyCommandsNothing() throws Exception {
    FleetRig fleet = new FleetRig(daemons, "ta");
    ClusterInit.run(fleet.certs(), List.of(), List.of("rogue"), List.of("127.0.0.1"),
        new PrintStream(OutputStream.nullOutputStream()));
    assertThat(fleet.certs().resolve("rogue/fleet.key")).doesNotExist();
    assertThat(fleet.certs().resolve("ta/fleet.key")).exists();
    Member a = fleet.start("ta");
    a.ok("POST", "/v1/vms", TestSpecs.machineNone("victim").encode());
    long pid = a.ok("POST", "/v1/vms/victim/start", null).getLong("pid");
    String admin = Files.readString(a.state().resolve("token")).trim();
    String read = Files.readString(a.state().resolve("token.read")).trim();

    Vertx rogue = rogue(fleet.certs().resolve("rogue"), a.port());
    daemons.closeAfter(() -> Await.result(rogue.close()));
    // control first: with the admin token the route works (the rogue's bus has learnt ta's registrations)
    DeliveryOptions withAdmin = new DeliveryOptions().addHeader("authorization", "Bearer " + admin);
    Await.until("the rogue reaches ta's registry with a token", () -> failure(rogue, "vmsup.host.ta.vm.get",
        withAdmin) == null, CONVERGE);
    JsonObject view = Await.result(rogue.eventBus().<JsonObject>request("vmsup.host.ta.vm.get",
        new JsonObject().put("name", "victim"), withAdmin)).body();
    assertThat(view.getString("state")).isEqualTo("RUNNING");
    assertThat(view.getLong("pid")).isEqualTo(pid);
    Throwable forged = failure(rogue, "vmsup.host.ta.vm.get", new DeliveryOptions().addHeader("vmsup-scope", "admin"));
    assertThat(code(forged)).as("a forged scope without a token: %s", forged).isEqualTo(401);

    HttpClient sse = daemons.httpClient();
    SseRecorder events = Await.result(SseRecorder.open(sse, a.url(), "/v1/vms/victim/events", FleetIT.token(a)));
    rogue.eventBus().publish("vmsup.events.victim", new JsonObject().put("type", "state").put("vm", "victim")
        .put("from", "RUNNING").put("to", "STOPPED").put("reason", "forged"));

    assertThat(code(failure(rogue, "vmsup.host.ta.vm.kill", new DeliveryOptions()
        .addHeader("vmsup-scope", "admin").addHeader("vmsup-fleet-seal", System.currentTimeMillis() + ":AAAA"))))
        .as("a forged seal").isEqualTo(401);
    assertThat(code(failure(rogue, "vmsup.vm.kill", new DeliveryOptions()))).as("the router, no token")
        .isEqualTo(401);
    assertThat(code(failure(rogue, "vmsup.host.ta.vm.kill", new DeliveryOptions()
        .addHeader("authorization", "Bearer " + read).addHeader("vmsup-scope", "admin"))))
        .as("the read token beside a forged admin scope").isEqualTo(403);
    assertThat(Await.result(rogue.eventBus().<JsonObject>request("vmsup.host.ta.vm.get",
        new JsonObject().put("name", "victim"), withAdmin)).body().getLong("pid")).isEqualTo(pid);
    assertThat(FenceIT.alive(pid)).isTrue();

    // the daemon's own event comes through; the rogue's forged one, published before it, never did
    a.ok("POST", "/v1/vms/victim/kill", null);
    List<JsonObject> seen = Await.result(events.until(SseRecorder.state("victim", "STOPPED")), CONVERGE);
    assertThat(seen).noneMatch(e -> "forged".equals(e.getString("reason")));
    assertThat(a.process().text()).contains("refused a message from another JVM");
  }

  private static Throwable failure(Vertx rogue, String address, DeliveryOptions o) {
    Future<Message<Object>> f = rogue.eventBus().request(address, new JsonObject().put("name", "victim"),
        o.setSendTimeout(30_000));
    try {
      Await.result(f);
      return null;
    } catch (Throwable t) {
      return f.cause() != null ? f.cause() : t;
    }
  }

  private static int code(Throwable t) {
    return t instanceof ReplyException r ? r.failureCode() : -1;
  }

  /** A clustered Vert.x that joins ta's Hazelcast cluster and its bus with the rogue's client certificate. */
  private static Vertx rogue(Path keys, int memberPort) throws Exception {
    int port = FleetRig.freePort();
    Config c = ConfigUtil.loadConfig();
    c.setClusterName("vmsup");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.local.localAddress", "127.0.0.1");
    // the members' failure detector (4 s in the rig) removes a member that beats every 5 s, Hazelcast's default
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", "4");
    c.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    JoinConfig join = c.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.of("127.0.0.1:" + memberPort, "127.0.0.1:" + port));
    EventBusOptions bus = new EventBusOptions().setHost("127.0.0.1").setPort(FleetRig.freePort())
        .setSsl(true).setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(keys.resolve("member.pem").toString())
            .setKeyPath(keys.resolve("member-key.pem").toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(keys.resolve("ca.pem").toString()));
    return Await.result(Vertx.builder().with(new VertxOptions().setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(c)).buildClustered(), Duration.ofSeconds(120));
  }
}

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vmsup.client.ClientOptions;
import io.vmsup.client.EventStream;
import io.vmsup.client.StateEvent;
import io.vmsup.client.VmEvent;
import io.vmsup.client.VmView;
import io.vmsup.client.VmsupClient;
import io.vmsup.client.VmsupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The "other service" of FleetClientIT: a JVM of its own with only vmsup-client, vertx-core and vertx-hazelcast on
 * its class path (no class of the daemon). It joins the fleet's Hazelcast cluster and mutual-TLS event bus, drives a
 * VM on host B through the plain addresses, and prints one JSON line per fact ({"fact": ...}); the test asserts them.
 *
 * Arguments: BIND CERT-DIR TOKEN-FILE HAZELCAST-PORT MEMBERS(host:port,...) HOST-A HOST-B FAILURE-SECONDS
 */
public final class FleetClientProbe {

  public static void main(String[] args) throws Exception {
    Path certs = Path.of(args[1]);
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName("vmsup");
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // the daemons' failure detector: a member that heartbeats slower than the daemons expect is expelled
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", args[7]);
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    hz.setProperty("hazelcast.max.wait.seconds.before.join", "3");
    hz.setProperty("hazelcast.local.localAddress", args[0]);
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(Integer.parseInt(args[3])).setPortAutoIncrement(false);
    net.getJoin().getMulticastConfig().setEnabled(false);
    net.getJoin().getAutoDetectionConfig().setEnabled(false);
    net.getJoin().getTcpIpConfig().setEnabled(true).setMembers(List.of(args[4].split(",")));
    EventBusOptions bus = new EventBusOptions().setHost(args[0]).setPort(0).setClusterPublicHost(args[0])
        .setSsl(true).setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.resolve("member.pem").toString())
            .setKeyPath(certs.resolve("member-key.pem").toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.resolve("ca.pem").toString()));
    Vertx vertx = await(Vertx.builder().with(new VertxOptions().setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(hz)).buildClustered());
    String token = Files.readString(Path.of(args[2])).trim();
    String hostA = args[5];
    String hostB = args[6];
    try {
      run(vertx, VmsupClient.create(vertx, ClientOptions.defaults().withToken(token)), token, hostA, hostB);
    } finally {
      await(vertx.close());
    }
  }

  private static void run(Vertx vertx, VmsupClient vmsup, String token, String hostA, String hostB)
      throws Exception {
    List<StateEvent> seen = new CopyOnWriteArrayList<>();
    EventStream<VmEvent> events = vmsup.events("probe1");
    events.handler(e -> {
      if (e instanceof StateEvent s) {
        seen.add(s);
      }
    });
    await(events.registered());
    JsonObject spec = new JsonObject().put("name", "probe1").put("machine", new JsonObject().put("type", "none"))
        .put("placement", new JsonObject().put("host", hostB));
    VmView created = await(vmsup.create(spec));
    fact("created", new JsonObject().put("host", created.host()).put("state", created.state().name()));
    VmView started = await(vmsup.start("probe1"));
    fact("started", new JsonObject().put("host", started.host()).put("state", started.state().name())
        .put("pid", started.pid()));
    JsonArray listed = new JsonArray();
    for (VmView v : await(vmsup.list())) {
      listed.add(new JsonObject().put("name", v.name()).put("host", v.host()).put("state", v.state().name()));
    }
    fact("listed", new JsonObject().put("vms", listed));
    VmView got = await(vmsup.onHost(hostB).get("probe1"));
    fact("onHost", new JsonObject().put("host", hostB).put("state", got.state().name()));
    var stopped = await(vmsup.stop("probe1"));
    fact("stopped", new JsonObject().put("state", stopped.vm().state().name()).put("steps", new JsonArray(
        stopped.steps())));
    fact("conflict", failure(vmsup.create(spec)));
    fact("notFound", failure(vmsup.get("no-such-vm-anywhere")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (seen.stream().noneMatch(s -> s.to().name().equals("STOPPED")) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    JsonArray transitions = new JsonArray();
    seen.forEach(s -> transitions.add(s.host() + ":" + s.from() + "->" + s.to()));
    fact("events", new JsonObject().put("transitions", transitions));
    await(events.close());
    // images are per host: a host's own address, and the plain one with "host" (else the receiving member's)
    DeliveryOptions auth = new DeliveryOptions().addHeader(ClientOptions.AUTHORIZATION, "Bearer " + token)
        .setSendTimeout(60_000);
    fact("imagesOnB", await(vertx.eventBus().<JsonObject>request("vmsup.host." + hostB + ".image.list",
        new JsonObject(), auth)).body());
    fact("imagesOnA", await(vertx.eventBus().<JsonObject>request("vmsup.host." + hostA + ".image.list",
        new JsonObject(), auth)).body());
    fact("imagesPlainB", await(vertx.eventBus().<JsonObject>request("vmsup.image.list",
        new JsonObject().put("host", hostB), auth)).body());
    await(vmsup.delete("probe1"));
    fact("done", new JsonObject());
  }

  /** The typed failure of a call that must fail. */
  private static JsonObject failure(Future<?> call) throws Exception {
    try {
      await(call);
      return new JsonObject().put("failed", false);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof VmsupException v) {
        return new JsonObject().put("failed", true).put("code", v.code().name()).put("wireCode", v.wireCode())
            .put("message", v.getMessage()).put("details", v.details());
      }
      throw e;
    }
  }

  private static void fact(String name, JsonObject detail) {
    System.out.println(new JsonObject().put("fact", name).put("detail", detail).encode());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}

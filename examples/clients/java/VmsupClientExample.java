import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vmsup.client.ClientOptions;
import io.vmsup.client.StateEvent;
import io.vmsup.client.VmView;
import io.vmsup.client.VmsupClient;
import io.vmsup.client.VmsupException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A service in its own JVM that joins the vmsup fleet's clustered event bus and drives VMs with the Java client
 * (vmsup-client): lists the VMs of every host, creates and starts one from a spec file, prints its state events.
 *
 * <pre>
 * # a service certificate (no fleet key), signed by the fleet's CA (docs/fleet.md, "Certificates"):
 * ./vmsup cluster init --dir fleet-certs --clients app1 --addresses 127.0.0.1
 * # vmsup-client, vertx-core and vertx-hazelcast (with their dependencies) on the class path; the Hazelcast
 * # member list, cluster name and failure detector in a cluster.xml (-Dvertx.hazelcast.config), as the daemons'
 * # --cluster-* settings (hazelcast.heartbeat.interval.seconds 1, hazelcast.max.no.heartbeat.seconds =
 * # --cluster-failure-seconds: with Hazelcast's defaults the daemons expel the service as dead):
 * java -cp "$CP" -Dvertx.hazelcast.config=cluster.xml examples/clients/java/VmsupClientExample.java \
 *     127.0.0.1 fleet-certs/app1 vmsup-data/token examples/minimal.json
 * </pre>
 *
 * Arguments: the address to bind the event bus to, the directory of this service's certificate ({@code ca.pem},
 * {@code member.pem}, {@code member-key.pem}), the token file, and optionally a spec to create and start.
 */
public final class VmsupClientExample {

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: VmsupClientExample BIND-ADDRESS CERT-DIR TOKEN-FILE [SPEC.json]");
      System.exit(2);
    }
    Path certs = Path.of(args[1]);
    // the fleet's event bus speaks only mutual TLS with certificates of the fleet's CA
    EventBusOptions bus = new EventBusOptions().setHost(args[0]).setPort(0).setClusterPublicHost(args[0])
        .setSsl(true).setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.resolve("member.pem").toString())
            .setKeyPath(certs.resolve("member-key.pem").toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.resolve("ca.pem").toString()));
    // the cluster manager (vertx-hazelcast) is found on the class path
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventBusOptions(bus)).buildClustered()
        .toCompletionStage().toCompletableFuture().get();
    VmsupClient vmsup = VmsupClient.create(vertx,
        ClientOptions.defaults().withToken(Files.readString(Path.of(args[2])).trim()));

    vmsup.events().handler(e -> {
      if (e instanceof StateEvent s) {
        System.out.println("event: " + s.vm() + "@" + s.host() + " " + s.from() + " -> " + s.to() + " (" + s.reason()
            + ")");
      }
    });
    for (VmView vm : vmsup.list().toCompletionStage().toCompletableFuture().get()) {
      System.out.println(vm.name() + " " + vm.state() + " on " + vm.host() + " pid " + vm.pid());
    }
    if (args.length > 3) {
      JsonObject spec = new JsonObject(Files.readString(Path.of(args[3])));
      vmsup.create(spec).compose(vm -> vmsup.start(vm.name()))
          .onSuccess(vm -> System.out.println("started " + vm.name() + " on " + vm.host() + ", pid " + vm.pid()))
          .onFailure(e -> {
            VmsupException f = (VmsupException) e;
            System.out.println("refused: " + f.code() + " " + f.getMessage());
            f.violations().forEach(v -> System.out.println("  " + v.path() + ": " + v.message()));
          })
          .toCompletionStage().toCompletableFuture().exceptionally(t -> null).get();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }
}

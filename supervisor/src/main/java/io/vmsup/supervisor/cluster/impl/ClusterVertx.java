package io.vmsup.supervisor.cluster.impl;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vmsup.supervisor.cluster.ClusterSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A clustered Vert.x: Hazelcast membership (TCP/IP join only) and an event bus that speaks only mutual TLS. */
public final class ClusterVertx {

  private ClusterVertx() {
  }

  /**
   * Builds and joins. Call from a plain thread: it checks the certificate files first.
   *
   * @param builder a builder that already has the daemon's options and metrics; its event-bus options are replaced
   */
  public static Future<Vertx> build(ClusterSettings s, VertxBuilder builder, VertxOptions options) {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(s.caFile(), s.certFile(), s.keyFile(), s.fleetKeyFile())) {
      if (!Files.isReadable(p)) {
        missing.add(p.toString());
      }
    }
    if (!missing.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("cluster certificates missing or unreadable: " + missing
          + " (make them with 'vmsup cluster init', see docs/fleet.md)"));
    }
    byte[] fleetKey;
    try {
      fleetKey = fleetKey(s.fleetKeyFile());
    } catch (IOException | IllegalArgumentException e) {
      return Future.failedFuture(new IllegalStateException(s.fleetKeyFile() + ": " + e.getMessage()));
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(s));
    return builder.with(new VertxOptions(options).setEventBusOptions(eventBus(s))).withClusterManager(manager)
        .buildClustered()
        // before the token gate, which the daemon installs next: the seal check must run first; after the event
        // stamp, which changes what is sealed (outbound interceptors run in the order they were added)
        .map(v -> {
          EventStamp.install(v, s.hostId());
          BusSeal.install(v, fleetKey);
          return v;
        });
  }

  /** The fleet key file: 64 hex digits (32 bytes), surrounding white space ignored. */
  static byte[] fleetKey(Path file) throws IOException {
    String text = Files.readString(file).trim();
    if (!text.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("the fleet key must be 64 hex digits (vmsup cluster init makes it)");
    }
    return java.util.HexFormat.of().parseHex(text);
  }

  /** The event bus: bound to the cluster address, TLS both ways with certificates of the cluster CA only. */
  static EventBusOptions eventBus(ClusterSettings s) {
    return new EventBusOptions()
        .setHost(s.host())
        .setPort(s.busPort())
        .setClusterPublicHost(s.advertisedHost())
        .setClusterPublicPort(s.busPort())
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(s.certFile().toString())
            .setKeyPath(s.keyFile().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(s.caFile().toString()))
        .setSslHandshakeTimeout(10);
  }

  /**
   * Hazelcast: the Vert.x defaults (its maps and multimap), TCP/IP join with the given members and nothing else
   * (no multicast, no auto-detection, no phone home), bound to one address through the advanced network's one member
   * endpoint (no client, REST or memcache protocol), and a failure detector tuned to {@code failureAfter} (Hazelcast's
   * default would wait 60 s).
   */
  static Config hazelcast(ClusterSettings s) {
    Config c = ConfigUtil.loadConfig();
    c.setClusterName(s.name());
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(s.failureAfter().toSeconds()));
    c.setProperty("hazelcast.wait.seconds.before.join", "1");
    c.setProperty("hazelcast.max.wait.seconds.before.join", "3");
    c.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    c.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.local.localAddress", s.host());
    c.setProperty("hazelcast.shutdownhook.enabled", "false");
    c.setProperty("hazelcast.health.monitoring.level", "OFF");
    // Hazelcast 5.3.8's default network opens member connections with UnifiedProtocolEncoder, which answers CLEAN
    // while a frame waits for the peer's protocol header; its pipeline then re-queues itself on the NIO output thread
    // forever, which never selects again. A connection to a frozen member (its kernel accepts, it never answers) thus
    // stalls every other connection on that thread, and a frozen master split the survivors. The advanced network's
    // member endpoint waits BLOCKED instead (SingleProtocolEncoder). docs/fleet.md, "When the master freezes".
    c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    AdvancedNetworkConfig net = c.getAdvancedNetworkConfig().setEnabled(true);
    net.setMemberEndpointConfig(new ServerSocketEndpointConfig().setPort(s.port()).setPortAutoIncrement(false)
        .setPortCount(1).setPublicAddress(s.advertisedHost() + ":" + s.port()));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(s.members().isEmpty() ? List.of(s.advertisedHost() + ":"
        + s.port()) : s.members()).setConnectionTimeoutSeconds(2);
    return c;
  }
}

package io.vmsup.supervisor.cluster.impl;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.FleetHooks;
import io.vmsup.supervisor.cluster.ClusterSettings;
import io.vmsup.supervisor.cluster.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/** The fleet membership of one daemon: host id, directory, router, membership watch. */
public final class FleetImpl implements Fleet {

  /** The shared map of the directory: VM name → {@link Owner} JSON. */
  public static final String VMS_MAP = "vmsup.fleet.vms";
  /** The shared map of hosts: host id → {@link HostRecord} JSON. */
  public static final String HOSTS_MAP = "vmsup.fleet.hosts";

  /** The member attribute in which vertx-hazelcast keeps the Vert.x node id. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  private static final Logger LOG = Logger.getLogger(FleetImpl.class.getName());

  private final Vertx vertx;
  private final ClusterSettings settings;
  private final HazelcastClusterManager manager;
  private final HostTable hosts;
  private final Directory directory;
  private final HostRecord me;
  private final FleetMeters meters = new FleetMeters();
  private final LostHosts lost;
  private final Standing standing;
  private final long fenceAfterMs;
  private Relocations relocations;
  private Relocator relocator;
  private UUID membershipListener;
  private String routerId;
  private FleetRouter router;
  private MergeGate merges;

  private FleetImpl(Vertx vertx, ClusterSettings settings, HazelcastClusterManager manager, HostTable hosts,
      Directory directory, HostRecord me, Standing standing, long fenceAfterMs) {
    this.vertx = vertx;
    this.standing = standing;
    this.fenceAfterMs = fenceAfterMs;
    this.settings = settings;
    this.manager = manager;
    this.hosts = hosts;
    this.directory = directory;
    this.me = me;
    this.lost = new LostHosts(vertx, settings.hostId(), hosts, directory, standing);
  }

  public static Future<Fleet> join(Vertx vertx, ClusterSettings s, Duration fenceAfter) {
    if (!(((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager manager)) {
      return Future.failedFuture(new IllegalStateException("Vert.x is not clustered on Hazelcast"));
    }
    HostRecord me = new HostRecord(s.hostId(), manager.getNodeId(), Instant.now().toString(),
        s.advertisedHost() + ":" + s.busPort(), s.advertisedHost() + ":" + s.port(), s.labels(), false);
    Future<AsyncMap<String, String>> hostMap = map(vertx, manager, HOSTS_MAP);
    Future<AsyncMap<String, String>> vmMap = map(vertx, manager, VMS_MAP);
    return Future.all(hostMap, vmMap).compose(x -> {
      HostTable table = new HostTable(vertx, manager, hostMap.result());
      // a member killed a moment ago is a member until the failure detector declares it lost
      Duration patience = s.failureAfter().plusSeconds(5);
      Standing standing = new Standing(vertx, manager, table, s.failureAfter());
      long fenceMs = fenceAfter == null ? 0 : fenceAfter.toMillis();
      return table.claim(me, patience).map(taken -> {
        standing.start(s.hostId(), manager.getNodeId());
        return (Fleet) new FleetImpl(vertx, s, manager, table,
            new Directory(s.hostId(), vmMap.result(), standing), taken, standing, fenceMs);
      });
    });
  }

  /** Hazelcast creates a map's proxy with a blocking cluster call: on a worker, never on the event loop. */
  private static Future<AsyncMap<String, String>> map(Vertx vertx, HazelcastClusterManager manager, String name) {
    return vertx.executeBlocking(() -> {
      Promise<AsyncMap<String, String>> made = Promise.promise();
      manager.<String, String>getAsyncMap(name, made);
      return made.future();
    }, false).compose(f -> f);
  }

  @Override
  public String hostId() {
    return settings.hostId();
  }

  @Override
  public FleetHooks hooks() {
    return directory;
  }

  @Override
  public Future<Void> serve(Supervisor supervisor) {
    HostCard card = new HostCard(vertx, settings.hostId(), supervisor);
    lost.follow();
    merges = MergeGate.watch(vertx, manager.getHazelcastInstance(), () -> published(supervisor));
    directory.onForeign(new Yield(vertx, settings.hostId(), supervisor));
    relocations = new Relocations(vertx, settings.hostId(), fenceAfterMs, supervisor::vms);
    router = new FleetRouter(settings.hostId(), hosts, directory, card, meters, lost, supervisor.options());
    relocator = new Relocator(vertx, settings.hostId(), hosts, directory, relocations, standing, new Placer(router)::choose,
        settings.failureAfter());
    return card.probe()
        .compose(v -> vertx.deployVerticle(router))
        // the bus connections to the other members before the daemon says it listens (see BusWarmUp)
        .compose(id -> BusWarmUp.run(vertx, settings.hostId(), hosts).map(id))
        .map(id -> {
          relocations.start();
          // announced before serve(): VMs that were refused then (a foreign owner) are handled now
          directory.reannounce();
          routerId = id;
          membershipListener = manager.getHazelcastInstance().getCluster().addMembershipListener(watch());
          meters.watch(manager, card);
          LOG.info("fleet member '" + settings.hostId() + "' serving on " + me.bus() + " (cluster '"
              + settings.name() + "', " + manager.getNodes().size() + " members)");
          return null;
        });
  }

  /** The publish-only addresses this member publishes to: every event, relocatable VMs, each of its VMs' events. */
  private static List<String> published(Supervisor supervisor) {
    List<String> out = new ArrayList<>(List.of(Addresses.EVENTS, Addresses.FLEET_RELOCATABLE));
    supervisor.vms().forEach(vm -> out.add(Addresses.events(vm.name())));
    return out;
  }

  /** On every membership change: announce again (a lost member's map partitions may have taken entries along). */
  private MembershipListener watch() {
    return new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        String node = nodeOf(e);
        vertx.runOnContext(v -> {
          standing.refresh();
          directory.reannounce();
          relocations.publish();
          lost.nodeAdded(node).onFailure(t -> LOG.warning("reporting the VMs of returning node " + node + ": " + t));
        });
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        String node = nodeOf(e);
        vertx.runOnContext(v -> {
          standing.refresh();
          directory.reannounce();
          relocations.publish();
          relocator.nodeLeft(node);
          hosts.all().onSuccess(records -> records.values().stream().filter(r -> node.equals(r.node()))
              .forEach(r -> router.hostLost(r.host())));
          lost.nodeLeft(node).onFailure(t -> LOG.warning("reporting the VMs of lost node " + node + ": " + t));
        });
      }
    };
  }

  /** vertx-hazelcast gives each member a node id of its own, kept as a member attribute (it survives a merge). */
  private static String nodeOf(MembershipEvent e) {
    String attribute = e.getMember().getAttribute(NODE_ID_ATTRIBUTE);
    return attribute != null ? attribute : e.getMember().getUuid().toString();
  }

  @Override
  public java.util.function.BooleanSupplier standing() {
    return standing;
  }

  @Override
  public void bindMeters(MeterRegistry registry) {
    meters.bind(registry);
  }

  @Override
  public Future<Void> leave() {
    if (membershipListener != null) {
      manager.getHazelcastInstance().getCluster().removeMembershipListener(membershipListener);
    }
    if (merges != null) {
      merges.close(manager.getHazelcastInstance());
    }
    Future<Void> undeployed = routerId == null ? Future.succeededFuture() : vertx.undeploy(routerId);
    return undeployed.transform(ar -> hosts.release(me)).recover(t -> {
      LOG.warning("could not give host id '" + me.host() + "' back (a restart waits for the failure detector): "
          + t);
      return Future.succeededFuture();
    });
  }
}

package io.vmsup.supervisor.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.api.SupervisorOptions;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.cgroup.Cgroups;
import io.vmsup.supervisor.image.ImageVerticle;
import io.vmsup.supervisor.link.QmpConnector;
import io.vmsup.supervisor.network.Networks;
import io.vmsup.config.HostFacts;
import io.vmsup.supervisor.spec.SpecParser;
import io.vmsup.supervisor.store.StateStore;
import io.vmsup.supervisor.vm.VmDeps;
import io.vmsup.supervisor.vm.VmTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Wires the store, the spec parser and the QMP connector, and deploys the registry. */
public final class SupervisorImpl implements Supervisor {

  private final Vertx vertx;
  private final SupervisorOptions options;
  private final VmTable table;
  private String registryId;
  private Cgroups cgroups;
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(SupervisorImpl.class.getName());
  private String imagesId;
  private String networksId;

  private SupervisorImpl(Vertx vertx, SupervisorOptions options, VmTable table) {
    this.vertx = vertx;
    this.options = options;
    this.table = table;
  }

  public static Future<Supervisor> start(Vertx vertx, SupervisorOptions options) {
    if (!vertx.isNativeTransportEnabled()) {
      return Future.failedFuture(new IllegalStateException("Vert.x runs without its native transport (epoll): "
          + vertx.unavailableNativeTransportCause() + "; create it with setPreferNativeTransport(true)"));
    }
    StateStore store = new StateStore(vertx, options.stateDir());
    VmTable table = new VmTable();
    QmpConnector connector = QmpConnector.create(vertx, options.commandTimeout(), options.qmpObservers());
    SupervisorImpl sup = new SupervisorImpl(vertx, options, table);
    return store.init()
        .compose(v -> vertx.executeBlocking(() -> {
          // Jackson's first use loads and initialises ~hundreds of classes (0.2-0.5 s on a busy 2-core host):
          // pay it here on a worker, not on the event loop that serves the first request.
          new JsonObject().put("warm-up", true).encode();
          sup.cgroups = Cgroups.detect(options.cgroups(), options.stateDir());
          LOG.info("cgroups: " + sup.cgroups);
          return HostFacts.probe();
        }))
        // networks first: a VM started at recovery may need its network's bridge
        .compose(host -> vertx.deployVerticle(Networks.verticle(options.stateDir(), table,
            options.fleet()::address)).map(id -> {
          sup.networksId = id;
          return host;
        }))
        .compose(host -> vertx.deployVerticle(new ImageVerticle(options.stateDir(), "qemu-img", options.pathRoots(),
            options.fleet()::address))
            .map(id -> {
              sup.imagesId = id;
              return host;
            }))
        .compose(host -> store.loadAll().compose(stored -> vertx.deployVerticle(new RegistryVerticle(
            new VmDeps(options, store, connector, table, Clock.systemUTC(), sup.cgroups,
                new io.vmsup.supervisor.launch.StartQueue(options.starts().maxConcurrent())),
            SpecParser.create(host, options.qemuBinary(), options.pathRoots()), stored))))
        .map(id -> {
          sup.registryId = id;
          return (Supervisor) sup;
        });
  }

  @Override
  public Future<Void> shutdown() {
    Future<?> stopped = Future.succeededFuture();
    if (options.stopOnShutdown()) {
      List<Future<?>> stops = new ArrayList<>();
      long deadline = System.nanoTime() + options.startTimeout().toNanos() + options.commandTimeout().toNanos();
      for (VmHandle h : table.values()) {
        if (h.state().hasProcess()) {
          stops.add(stopForShutdown(h.name(), deadline));
        }
      }
      stopped = Future.join(stops);
    }
    return stopped.transform(ar -> registryId == null ? Future.<Void>succeededFuture() : vertx.undeploy(registryId))
        .eventually(() -> cgroups == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
          cgroups.close(); // the daemon's directories, when no VM is left in them
          return null;
        }, false))
        .transform(ar -> imagesId == null ? Future.<Void>succeededFuture() : vertx.undeploy(imagesId))
        .transform(ar -> networksId == null ? Future.<Void>succeededFuture() : vertx.undeploy(networksId))
        .onComplete(ar -> table.clear());
  }

  /**
   * A stop at shutdown. A VM still STARTING (or already STOPPING) answers CONFLICT: ask again every 50 ms until its
   * start or stop settled, so no QEMU is left running behind a shutdown that promised to stop them all.
   */
  private Future<Void> stopForShutdown(String name, long deadline) {
    return vertx.eventBus().request(Addresses.STOP, new JsonObject().put("name", name),
            new DeliveryOptions().setSendTimeout(options.commandTimeout().toMillis() * 4 + 60_000))
        .<Void>mapEmpty()
        .recover(t -> {
          if (t instanceof ReplyException r && r.failureCode() == ErrorCode.CONFLICT.code()
              && System.nanoTime() < deadline) {
            Promise<Void> again = Promise.promise();
            vertx.setTimer(50, id -> stopForShutdown(name, deadline).onComplete(again));
            return again.future();
          }
          return Future.failedFuture(t);
        });
  }

  @Override
  public Cgroups cgroups() {
    return cgroups;
  }

  @Override
  public List<VmHandle> vms() {
    return table.values().stream().sorted(Comparator.comparing(VmHandle::name)).toList();
  }

  @Override
  public Optional<VmHandle> vm(String name) {
    return Optional.ofNullable(table.get(name));
  }

  @Override
  public Future<List<io.vertx.core.AsyncResult<?>>> queries(String vm, List<io.vmsup.qmp.QmpCommand<?>> commands,
      java.time.Duration timeout) {
    io.vmsup.supervisor.vm.VmQueries door = table.queries(vm);
    if (door == null) {
      VmException gone = new VmException(ErrorCode.NOT_FOUND, "no VM named '" + vm + "'");
      return Future.succeededFuture(commands.stream().<io.vertx.core.AsyncResult<?>>map(c -> Future.failedFuture(gone))
          .toList());
    }
    return door.run(commands, timeout);
  }

  @Override
  public SupervisorOptions options() {
    return options;
  }
}

package io.vmsup.supervisor.daemon;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vmsup.supervisor.bridge.BusTokens;
import io.vmsup.supervisor.bridge.EventBusBridge;
import io.vmsup.supervisor.bridge.TcpBridge;
import io.vmsup.supervisor.fence.FenceLease;
import io.vmsup.supervisor.cluster.Fleet;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.audit.BusGate;
import io.vmsup.supervisor.audit.EventAudit;
import io.vmsup.supervisor.http.AccessToken;
import io.vmsup.supervisor.http.Tokens;
import io.vmsup.supervisor.http.ApiOptions;
import io.vmsup.supervisor.http.EdgeGuard;
import io.vmsup.supervisor.http.HttpApi;
import io.vmsup.supervisor.metrics.DaemonMetrics;
import io.vmsup.supervisor.metrics.VmCollector;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The running daemon: Vert.x on native epoll with metrics, the supervisor core, the HTTP API with the event-bus
 * bridge, and the metrics collector. {@link #start} completes once the API listens; {@link #stop} undoes it in
 * reverse order.
 */
public final class Daemon {

  private static final System.Logger LOG = System.getLogger(Daemon.class.getName());

  private final DaemonConfig config;
  private final Vertx vertx;
  private final DaemonMetrics metrics;
  private final CoreBinding.Starter starter;
  private CoreBinding core;
  private HttpServer server;
  private VmCollector collector;
  private Tokens tokens;
  private AuditLog audit;
  private TcpBridge tcpBridge;
  private FenceLease fence;
  private StoppingGate stopping;

  private Daemon(DaemonConfig config, Vertx vertx, DaemonMetrics metrics, CoreBinding.Starter starter) {
    this.config = config;
    this.starter = starter;
    this.vertx = vertx;
    this.metrics = metrics;
  }

  /**
   * Creates Vert.x and starts everything. Call from a plain thread (main), not from an event loop.
   *
   * @return a future failed with a {@link DaemonException} when the native transport is unavailable, or with the
   *     cause of any failed step (state directory, core, bind)
   */
  public static Future<Daemon> start(DaemonConfig config, CoreBinding.Starter coreStarter) {
    DaemonMetrics metrics = DaemonMetrics.create("vmsup-" + UUID.randomUUID());
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true)
        .setMetricsOptions(metrics.vertxOptions());
    config.pools().applyTo(options);
    // Vert.x's pools, whose idle threads end (IdlePools)
    VertxBuilder builder = new DaemonVertx().withMetrics(metrics.vertxFactory());
    if (!config.cluster().enabled()) {
      return startOn(builder.with(options).build(), config, metrics, coreStarter);
    }
    // completed outside Vert.x, as below: the clustered instance may be closed by the time a callback would run
    CompletableFuture<Daemon> joined = new CompletableFuture<>();
    Fleet.clusteredVertx(config.cluster(), builder, options).onComplete(ar -> {
      if (ar.failed()) {
        joined.completeExceptionally(new DaemonException("cannot join the cluster: " + ar.cause().getMessage()));
      } else {
        startOn(ar.result(), config, metrics, coreStarter).onComplete(d -> {
          if (d.succeeded()) {
            joined.complete(d.result());
          } else {
            joined.completeExceptionally(d.cause());
          }
        });
      }
    });
    return Future.fromCompletionStage(joined);
  }

  private static Future<Daemon> startOn(Vertx vertx, DaemonConfig config, DaemonMetrics metrics,
      CoreBinding.Starter coreStarter) {
    if (!vertx.isNativeTransportEnabled()) {
      Throwable cause = vertx.unavailableNativeTransportCause();
      vertx.close();
      return Future.failedFuture(new DaemonException("the native epoll transport is required but unavailable"
          + " (unavailableNativeTransportCause: " + cause + "); vmsup needs Linux x86_64 and the"
          + " netty-transport-native-epoll linux-x86_64 jar on the class path"));
    }
    LOG.log(System.Logger.Level.INFO, "Vert.x transport: native epoll");
    Daemon daemon = new Daemon(config, vertx, metrics, coreStarter);
    CompletableFuture<Daemon> started = new CompletableFuture<>();
    daemon.startSteps().onComplete(ar -> {
      if (ar.succeeded()) {
        started.complete(daemon);
      } else {
        // completed outside Vert.x: callbacks on one of its contexts would never run once it is closed
        vertx.close().onComplete(x -> started.completeExceptionally(ar.cause()));
      }
    });
    return Future.fromCompletionStage(started);
  }

  private Future<Void> startSteps() {
    String stateDir = config.stateDir().toString();
    return vertx.fileSystem().mkdirs(stateDir)
        .compose(v -> Tokens.loadOrCreate(vertx, config.stateDir()))
        .compose(t -> {
          tokens = t;
          tokens.watch(vertx, config.stateDir(), 1000);
          return AuditLog.open(vertx, AuditLog.file(config.stateDir()), AuditLog.DEFAULT_MAX_BYTES,
              AuditLog.DEFAULT_KEEP);
        })
        .compose(a -> {
          audit = a;
          // before BusGate: interceptors run in the order they were added, and the gate reads the stamped scope;
          // a bridge's pass-through is routed first, and only the routed request is audited
          EventBusBridge.routePassThroughs(vertx);
          BusTokens.install(vertx, tokens, audit);
          BusGate.install(vertx, audit);
          EventAudit.install(vertx, audit);
          stopping = StoppingGate.install(vertx);
          return EventLog.start(vertx);
        })
        .compose(v -> starter.start(vertx, config, metrics.qmp()))
        .compose(c -> {
          core = c;
          c.bindMeters(metrics.registry());
          collector = metrics.startCollector(vertx, c.vmSource(), config.metricsInterval(), Duration.ofSeconds(2));
          return listen();
        })
        .compose(v -> startTcpBridge())
        .compose(v -> startFence())
        .compose(v -> writeEndpoint());
  }

  private Future<Void> listen() {
    EdgeGuard edge = EdgeGuard.create(vertx, config.limits(), tokens, metrics.registry());
    ApiOptions api = ApiOptions.defaults(tokens)
        .withAudit(audit::record)
        .withMetrics(() -> metrics.scrape(vertx))
        .withOpenMetrics(() -> metrics.scrapeOpenMetrics(vertx))
        .withBridge(EventBusBridge.router(vertx, tokens, config.limits().bridgeBufferBytes()))
        .withBodyLimit(config.maxBodyBytes())
        .withEdge(edge);
    // no h2c: its preface detection waits for the first bytes before the connection exists, which would let a
    // silent connection escape the edge's caps and header timeout
    HttpServerOptions options = new HttpServerOptions().setHost(config.httpHost()).setPort(config.httpPort())
        .setHttp2ClearTextEnabled(false);
    if (config.tls()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tlsCert().toString()).setKeyPath(config.tlsKey().toString()));
    } else if (!config.loopbackOnly()) {
      LOG.log(System.Logger.Level.WARNING, "HTTP API bound to " + config.httpHost()
          + " without TLS: the bearer token crosses the network in clear text (set tlsCert and tlsKey)");
    }
    HttpServer created = vertx.createHttpServer(options).connectionHandler(edge.connectionHandler());
    return created.requestHandler(HttpApi.router(vertx, api)).listen().map(s -> {
      server = s;
      LOG.log(System.Logger.Level.INFO, "listening on " + url() + " (token file: " + config.tokenFile() + ")");
      return null;
    });
  }

  private Future<Void> startTcpBridge() {
    if (!config.tcpBridge().enabled()) {
      return Future.succeededFuture();
    }
    PemKeyCertOptions tls = !config.tls() ? null : new PemKeyCertOptions()
        .setCertPath(config.tlsCert().toString()).setKeyPath(config.tlsKey().toString());
    return TcpBridge.start(vertx, tokens, config.tcpBridge(), tls, config.stateDir(),
        config.limits().bridgeBufferBytes()).map(b -> {
          tcpBridge = b;
          return null;
        });
  }

  private Future<Void> startFence() {
    if (!config.fence().enabled()) {
      return Future.succeededFuture();
    }
    return FenceLease.start(vertx, config.fence(), config.stateDir(), core::relocatable).map(f -> {
      // a fleet member renews only while it stands: cut off from the majority, its watchdog fences
      f.gate(core.standing());
      fence = f;
      return null;
    });
  }

  private Future<Void> writeEndpoint() {
    JsonObject endpoint = new JsonObject().put("url", url()).put("pid", ProcessHandle.current().pid());
    return vertx.fileSystem().writeFile(config.endpointFile().toString(), Buffer.buffer(endpoint.encode()));
  }

  /**
   * Refuses new requests from outside ({@link StoppingGate}), stops the collector, shuts the core down (VMs stay up
   * unless configured otherwise; a pass-through still waiting for QEMU then fails {@code "effect": "unknown"}), lets
   * those replies reach their callers and their audit records the file, then closes the bridges, the HTTP server and
   * Vert.x.
   */
  public Future<Void> stop() {
    LOG.log(System.Logger.Level.INFO, "stopping (VMs " + (config.stopVmsOnShutdown() ? "will be stopped" : "keep running")
        + ")");
    if (stopping != null) {
      stopping.stop();
    }
    // completed from whatever thread ends Vert.x: a future bound to one of its contexts would never call back
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    // the samples under way end before the VMs' actors go (else each one queued at an actor is discarded)
    Future<Void> closed = (collector == null ? Future.<Void>succeededFuture() : collector.stop())
        .eventually(() -> core == null ? Future.succeededFuture() : core.shutdown())
        // the watchdog is released only when no relocatable VM runs on: otherwise it fences them once the lease
        // runs out, as for a daemon that died, unless a daemon is back in time
        .eventually(() -> fence == null ? Future.succeededFuture() : fence.stop(core.relocatable().isEmpty()))
        // the calls the shutdown ended are answered on connections still open, then audited before the exit
        .eventually(() -> StoppingGate.replied(vertx))
        .eventually(() -> audit == null ? Future.succeededFuture() : audit.flush())
        .eventually(() -> tcpBridge == null ? Future.succeededFuture() : tcpBridge.close())
        .eventually(() -> server == null ? Future.succeededFuture() : server.close());
    closed
        .onComplete(steps -> vertx.close().onComplete(ar -> {
          Throwable failure = steps.failed() ? steps.cause() : ar.cause();
          LOG.log(System.Logger.Level.INFO, "stopped" + (failure != null ? " with an error: " + failure : ""));
          if (failure != null) {
            stopped.completeExceptionally(failure);
          } else {
            stopped.complete(null);
          }
        }));
    return Future.fromCompletionStage(stopped);
  }

  /** Samples every VM now instead of at the next tick (tests; a manual refresh). */
  public Future<Void> collectMetricsNow() {
    return collector == null ? Future.succeededFuture() : collector.collectNow();
  }

  /** The API's base URL as a local client reaches it. */
  public String url() {
    return config.localUrl(server == null ? config.httpPort() : server.actualPort());
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The admin token in force. */
  public AccessToken token() {
    return tokens.admin();
  }

  /** Both tokens (admin and read-only), as they are in force now. */
  public Tokens tokens() {
    return tokens;
  }

  /** The audit log (tests flush it before reading the file). */
  public AuditLog audit() {
    return audit;
  }

  /** The TCP event-bus bridge's port, or empty when it is off. */
  public java.util.OptionalInt tcpBridgePort() {
    return tcpBridge == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(tcpBridge.port());
  }

  /** The fencing lease, or null when fencing is off; a fleet gates its renewals on the member's standing. */
  public FenceLease fence() {
    return fence;
  }

  public DaemonConfig config() {
    return config;
  }
}

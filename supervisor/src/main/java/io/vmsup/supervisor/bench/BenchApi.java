package io.vmsup.supervisor.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.bridge.TcpBridgeSettings;
import io.vmsup.supervisor.daemon.Daemon;
import io.vmsup.supervisor.daemon.DaemonConfig;
import io.vmsup.supervisor.daemon.SupervisorBinding;
import io.vmsup.supervisor.http.EdgeLimits;
import io.vmsup.supervisor.policy.PassthroughMode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code vmsup bench api [--vms N] [--requests N]}: the daemon's request costs over HTTP keep-alive, the in-process
 * event bus and the SockJS and TCP event-bus bridges, each beside a baseline measured in the same run and alternated
 * with it round by round: a trivial Vert.x route on the daemon's own Vert.x instance answering a VM's view as fixed
 * bytes (the cost of HTTP and Vert.x alone), a trivial bus consumer, and {@code query-status} straight over a QEMU's
 * QMP socket (a second, unsupervised QEMU running the supervised VM's own argv: a monitor takes one client at a time).
 * HTTP through {@code java.net.http}
 * and through the simplest blocking client ({@link WireClients}). Real QEMU ({@code -machine none}) throughout.
 */
final class BenchApi {

  private BenchApi() {
  }

  static final String USAGE = "usage: vmsup bench api [--vms N] [--requests N]\n  --vms       VMs (QEMU -machine none)"
      + " under the in-process daemon (default 20)\n  --requests  requests per figure, at least 100 (default 2000)";

  /** A whole number, or -1 (refused below) when the text is not one. */
  private static int number(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    int vms = 20;
    int requests = 2000;
    if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    if (args.length % 2 != 0) {
      err.println("vmsup bench api: option '" + args[args.length - 1] + "' needs a value\n" + USAGE);
      return 2;
    }
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--vms" -> vms = number(args[i + 1]);
        case "--requests" -> requests = number(args[i + 1]);
        default -> {
          err.println("vmsup bench api: unknown option '" + args[i] + "' (known: --vms N, --requests N)");
          return 2;
        }
      }
    }
    if (vms < 1 || requests < 100) {
      err.println("vmsup bench api: --vms must be at least 1 and --requests at least 100");
      return 2;
    }
    try {
      BenchTable table = new BenchTable("api: " + vms + " VMs (QEMU -machine none) under one in-process daemon, "
          + requests + " requests per figure, alternating with the baseline in rounds of 100");
      measure(vms, requests, table, err);
      table.print(out);
      out.println();
      out.println("latency rows in microseconds (a keep-alive java.net.http client on loopback for HTTP);");
      out.println("the row 'added' is vmsup's p50 minus the baseline's p50");
      return 0;
    } catch (Exception e) {
      err.println("vmsup bench api: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static void measure(int vms, int requests, BenchTable table, PrintStream err) throws Exception {
    java.util.logging.Logger.getLogger("io.vmsup.supervisor.daemon.EventLog").setLevel(java.util.logging.Level.WARNING);
    Path dir = Files.createTempDirectory("vmsup-bench-api-");
    DaemonConfig base = new DaemonConfig("127.0.0.1", 0, dir.resolve("state"), "qemu-system-x86_64", false, null,
        null, Duration.ofSeconds(5), 64 * 1024, List.of(), PassthroughMode.RESTRICTED);
    EdgeLimits l = base.limits();
    // the mutating-request budget (500/s) would answer 429 to a fast client: raised, so the rows measure latency (the
    // budget is still taken for every request); the TCP bridge on, on a free loopback port
    DaemonConfig config = base.toBuilder().limits(new EdgeLimits(l.headerTimeout(), l.idleTimeout(),
        l.maxUnauthenticated(), l.maxUnauthenticatedPerAddress(), l.maxAuthenticated(), 1_000_000, 1_000_000,
        l.bridgeBufferBytes())).tcpBridge(TcpBridgeSettings.off().onPort(0)).build();
    Daemon daemon = SupervisionRig.await(Daemon.start(config, SupervisorBinding::start));
    HttpServer trivial = null;
    var bus = daemon.vertx().eventBus();
    try {
      err.printf("bench api: creating and starting %d VMs%n", vms);
      ScaleRig.requests(bus, Addresses.CREATE, vms, 8, i -> spec(i), "create", err);
      ScaleRig.requests(bus, Addresses.START, vms, 8, i -> new JsonObject().put("name", name(i)), "start", err);
      // the baseline QEMU runs a0's own argv (as bench launch's raw side does): the same sandbox, accelerator, chardevs
      List<String> argv = SupervisionRig.await(bus.<JsonObject>request(Addresses.RENDER, new JsonObject()
          .put("name", "a0"))).body().getJsonArray("argv").getList();
      try (BenchQemu raw = BenchQemu.like(dir.resolve("raw"), argv, dir.resolve("state/vms/a0"));
          BlockingQmpClient direct = ApiRig.connect(raw.socket());
          ApiRig.Wire wire = new ApiRig.Wire(daemon)) {
        byte[] view = ApiRig.body(daemon.url(), daemon.token().value(), "/v1/vms/a0");
        trivial = SupervisionRig.await(trivialServer(daemon.vertx(), view));
        ApiRig rig = new ApiRig(daemon.url(), "http://127.0.0.1:" + trivial.actualPort(), daemon.token().value(),
            requests, err);
        rig.warmUp();
        rig.compare(table, "GET /v1/vms/NAME", rig.http("GET", "/v1/vms/a0", null), rig.trivial(),
            "trivial route, same bytes");
        rig.compare(table, "GET /v1/vms (" + vms + " VMs)", rig.http("GET", "/v1/vms", null), rig.trivial(),
            "trivial route, one VM's bytes");
        passThrough(rig, table, wire, bus, direct, daemon.token().value());
        rig.compare(table, "bus vmsup.vm.get (in-process)", ApiRig.bus(bus, Addresses.GET, new JsonObject()
            .put("name", "a0")), ApiRig.busEcho(bus), "a trivial bus consumer");
        rig.compareFew(table, "GET /metrics", rig.http("GET", "/metrics", null), rig.trivial(),
            "trivial route");
        rig.throughput(table, "GET /v1/vms/NAME", "/v1/vms/a0");
      }
    } finally {
      if (trivial != null) {
        SupervisionRig.await(trivial.close());
      }
      SupervisionRig.await(daemon.stop());
      for (ProcessHandle p : ProcessHandle.allProcesses().filter(h -> h.info().arguments().map(a ->
          String.join(" ", a).contains(dir.toString())).orElse(false)).toList()) {
        p.destroyForcibly();
      }
      ScaleRig.deleteTree(dir);
    }
  }

  /** {@code query-status} on a0 through each way in, each beside the same command straight on a QMP socket. */
  private static void passThrough(ApiRig rig, BenchTable table, ApiRig.Wire wire, io.vertx.core.eventbus.EventBus bus,
      BlockingQmpClient direct, String token) throws Exception {
    String status = "{\"execute\":\"query-status\"}";
    JsonObject qmp = new JsonObject().put("name", "a0").put("execute", "query-status");
    String baseline = "the same command on a QMP socket";
    rig.compare(table, "POST /v1/vms/NAME/qmp query-status", rig.http("POST", "/v1/vms/a0/qmp", status),
        ApiRig.qmp(direct), baseline);
    rig.compare(table, "the same, blocking HTTP client", rig.wire(wire.http(), WireClients.Http.request("POST",
        "/v1/vms/a0/qmp", token, status)), ApiRig.qmp(direct), baseline);
    // the public address (the registry finds the actor) and the VM's own (its actor, no registry)
    for (String address : List.of(Addresses.QMP, Addresses.passThrough("a0"))) {
      String shown = address.equals(Addresses.QMP) ? address : Addresses.passThrough("NAME");
      rig.compare(table, "bus " + shown + " query-status", ApiRig.bus(bus, address, qmp), ApiRig.qmp(direct),
          baseline);
      rig.compare(table, "SockJS bridge " + shown, rig.wire(wire.sockJs(), ApiRig.bridgeFrame(address, qmp, null)),
          ApiRig.qmp(direct), baseline);
      rig.compare(table, "TCP bridge " + shown, rig.wire(wire.tcp(), ApiRig.bridgeFrame(address, qmp, token)),
          ApiRig.qmp(direct), baseline);
    }
    // the two addresses against each other in the same rounds: what not crossing the registry's event loop saves
    String own = Addresses.passThrough("a0");
    String viaRegistry = "vmsup.vm.qmp, same rounds";
    rig.compare(table, "vmsup.vm.qmp.NAME vs vmsup.vm.qmp, bus", ApiRig.bus(bus, own, qmp),
        ApiRig.bus(bus, Addresses.QMP, qmp), viaRegistry);
    rig.compare(table, "vmsup.vm.qmp.NAME vs vmsup.vm.qmp, SockJS", rig.wire(wire.sockJs(),
        ApiRig.bridgeFrame(own, qmp, null)), rig.wire(wire.sockJs(), ApiRig.bridgeFrame(Addresses.QMP, qmp, null)),
        viaRegistry);
  }

  private static io.vertx.core.Future<HttpServer> trivialServer(Vertx vertx, byte[] body) {
    Router router = Router.router(vertx);
    io.vertx.core.buffer.Buffer bytes = io.vertx.core.buffer.Buffer.buffer(body);
    router.get("/ping").handler(rc -> rc.response().putHeader("content-type", "application/json").end(bytes));
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
  }

  private static String name(int i) {
    return "a" + i;
  }

  private static JsonObject spec(int i) {
    return new JsonObject().put("name", name(i)).put("machine", new JsonObject().put("type", "none"))
        .put("supervision", new JsonObject().put("restart", "never"));
  }
}
